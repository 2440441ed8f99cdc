"""HTTP layer: a ThreadingHTTPServer on 127.0.0.1 that feeds requests to
the App and writes its Replies, obeying the fault directives.

With a TLS context (StandIn(..., tls=(cert, key))) every connection is
wrapped in TLS in its own thread, before the first request is read, so a
client that stalls in the handshake holds up nobody else.

Event streams are sent with Transfer-Encoding: chunked, one chunk per
frame, flushed as it is written (curl and botocore/urllib3 both decode
chunked bodies incrementally).  Everything else carries Content-Length and
the connection is kept alive.  A "reset" closes the socket with SO_LINGER
0, which makes the kernel send a TCP RST.
"""

import email.utils
import json
import os
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .call import Request

MAX_BODY = 16 * 1024 * 1024
CONTROL_PREFIX = "/_standin/"


class _Gone(Exception):
    """The client went away or the connection was reset on purpose."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    # -- plumbing
    def setup(self):
        tls = self.server.tls
        if tls is not None:
            # A failed handshake raises here; handle_error() ignores it
            # (ssl.SSLError is an OSError) and the server logs nothing:
            # no request was read.
            self.request.settimeout(self.timeout)
            self.request = tls.wrap_socket(self.request, server_side=True)
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's
        # algorithm holds the body until the client's delayed ACK (40 ms
        # on Linux), a stall per answer that no AWS endpoint has.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass
        self.server.track(self.connection, False)
        if self.server.tls is not None:
            # The server closes the plain socket it accepted; the TLS one
            # that replaced it is ours to close.
            try:
                self.connection.close()
            except OSError:
                pass

    def log_message(self, fmt, *args):
        pass

    def date_time_string(self, timestamp=None):
        return email.utils.formatdate(self.server.app.world.now(),
                                      usegmt=True)

    def send_response(self, code, message=None):
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def _reset(self):
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            os.close(self.connection.detach())
        except OSError:
            pass
        self.close_connection = True

    def _send(self, data):
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (OSError, ValueError):
            self.close_connection = True
            raise _Gone()

    # -- reading
    def _read_body(self):
        """The request body, or an int HTTP status when it is unusable."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = bytearray()
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0].strip() or b"x", 16)
                except ValueError:
                    return 400
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n",
                                                            b""):
                        pass
                    return bytes(body)
                if len(body) + size > MAX_BODY:
                    return 413
                body += self.rfile.read(size)
                self.rfile.readline(1024)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return 400
        if length < 0:
            return 400
        if length > MAX_BODY:
            return 413
        return self.rfile.read(length) if length else b""

    # -- one request
    def _serve(self):
        body = self._read_body()
        if isinstance(body, int):
            self._plain(body, b"Bad Request" if body == 400
                        else b"Request Entity Too Large")
            self.close_connection = True
            return
        if self.path.startswith(CONTROL_PREFIX):
            status, obj = self.server.control(self.command, self.path, body)
            self._plain(status, json.dumps(obj).encode(), "application/json")
            return
        req = Request(self.command, self.path, list(self.headers.items()),
                      body, self.client_address)
        app = self.server.app
        reply, entry = app.handle(req)
        # The client's port tells requests on one kept-alive connection
        # from requests on new ones.
        entry["client_port"] = self.client_address[1]
        self._entry = entry
        try:
            self._write(reply)
        except _Gone:
            entry["client_gone"] = True
        self._done()

    def _done(self):
        """Record the log entry; called just before the last bytes go out
        so that a client reading the log right after its answer sees it."""
        entry, self._entry = self._entry, None
        if entry is not None:
            entry["time_end"] = time.monotonic()
            self.server.app.record(entry)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _serve

    def _plain(self, status, body, ctype="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self._send(body)
        except _Gone:
            pass

    # -- writing
    def _write(self, reply):
        app = self.server.app
        if reply.reset_after_bytes == -1:
            self._done()
            self._reset()
            return
        app.sleep(reply.stall_s)
        if app.stopping.is_set():
            self._done()
            self._reset()
            return
        if reply.frames is None:
            self._write_plain(reply)
        else:
            self._write_stream(reply)

    def _write_plain(self, reply):
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        body = reply.body if self.command != "HEAD" else b""
        if reply.reset_after_bytes is not None:
            self._send(body[:reply.reset_after_bytes])
            self._done()
            self._reset()
            return
        step = 1 << 20
        for i in range(0, max(len(body), 1), step):
            if i + step >= len(body):
                self._done()
            self._send(body[i:i + step])

    def _chunk(self, data):
        self._send(b"%x\r\n%s\r\n" % (len(data), data))

    def _write_stream(self, reply):
        app = self.server.app
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._send(b"")
        # When each frame went out: tests compare what the client did with it.
        sent = []
        if self._entry is not None:
            self._entry["frame_times"] = sent
        for i, frame in enumerate(reply.frames):
            if i == reply.reset_after_frames:
                self._chunk(frame[:len(frame) // 2])
                self._done()
                self._reset()
                return
            if i == reply.stall_after_frames:
                app.sleep(reply.stall_after_s)
            elif i and reply.frame_delay_s:
                app.sleep(reply.frame_delay_s)
            if app.stopping.is_set():
                self._done()
                self._reset()
                return
            self._chunk(frame)
            sent.append(time.monotonic())
        self._done()
        self._send(b"0\r\n\r\n")


class Server(ThreadingHTTPServer):
    """Loopback-only server; tracks connections so stop() can end them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128    # a Region sweep connects ~70 times at once

    def __init__(self, app, port, control, tls=None):
        self.app = app
        self.control = control
        self.tls = tls          # an ssl.SSLContext, or None for plain HTTP
        self._conns = set()
        self._conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), Handler)

    def handle_error(self, request, client_address):
        """Clients that vanish are normal here; anything else is printed."""
        if isinstance(sys.exc_info()[1], (OSError, ValueError)):
            return
        super().handle_error(request, client_address)

    def track(self, conn, add):
        with self._conns_lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def drop_connections(self):
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
