"""fwdproxy: a tiny loopback forward proxy for the end-to-end tests.

Python standard library only.  It listens on 127.0.0.1, forwards plain
HTTP requests in absolute form ("GET http://host:port/path HTTP/1.1", what
a client sends when http_proxy names a proxy) to the origin, and tunnels
CONNECT host:port (what a client sends for https:// through a proxy) as
raw bytes, so TLS stays between the client and the origin.  It keeps a log
of what passed through it:

    with FwdProxy().start() as proxy:
        env["http_proxy"] = proxy.url            # http://127.0.0.1:PORT
        ...run the client...
        proxy.log()    # [{"kind": "forward", "method", "target", "status",
                       #   "upstream_port"}, {"kind": "connect", "target",
                       #   "status", "upstream_port"}, ...]

upstream_port is the proxy's own port on its connection to the origin,
so a test can match the origin's record of its client's port.  The path
is forwarded exactly as received (percent-encoding included) and the
headers unchanged except the hop-by-hop ones, so a SigV4 signature made
by the client still verifies at the origin.  Answers without a
Content-Length (event streams) are relayed chunk by chunk as they arrive.
Nothing is ever logged of the headers or bodies.
"""

import http.client
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection",
              "proxy-authorization", "proxy-authenticate", "te", "trailer",
              "transfer-encoding", "upgrade"}
MAX_BODY = 32 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def log_message(self, fmt, *args):
        pass

    def _record(self, **entry):
        self.server.record(entry)

    def _fail(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline(1024)
                if len(body) > MAX_BODY:
                    raise ValueError("request body too large")
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            raise ValueError("bad Content-Length")
        return self.rfile.read(n) if n else b""

    def _forward(self):
        if not self.path.startswith("http://"):
            self._record(kind="refused", method=self.command,
                         target=self.path, status=400)
            self._fail(400, "a forward proxy wants an absolute http:// URL")
            return
        rest = self.path[len("http://"):]
        hostport, slash, path = rest.partition("/")
        path = slash + path if slash else "/"
        host, _, port = hostport.rpartition(":")
        if not host:
            host, port = hostport, "80"
        body = self._body()
        try:
            up = http.client.HTTPConnection(host, int(port), timeout=30)
            up.putrequest(self.command, path, skip_host=True,
                          skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP and \
                        name.lower() != "content-length":
                    up.putheader(name, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                up.putheader("Content-Length", str(len(body)))
            up.endheaders(body or None)
            upstream_port = up.sock.getsockname()[1]
            resp = up.getresponse()
        except OSError as e:
            self._record(kind="forward", method=self.command,
                         target=self.path, status=502, error=str(e))
            self._fail(502, "proxy: the origin did not answer: %s" % e)
            return
        self._record(kind="forward", method=self.command, target=self.path,
                     status=resp.status, upstream_port=upstream_port)
        self.send_response_only(resp.status, resp.reason)
        length = resp.getheader("Content-Length")
        for name, value in resp.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        if length is None and self.command != "HEAD":
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            if self.command == "HEAD":
                pass
            elif length is not None:
                self.wfile.write(resp.read())
            else:
                while True:
                    piece = resp.read1(65536)
                    if not piece:
                        break
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (OSError, http.client.HTTPException):
            self.close_connection = True
        finally:
            up.close()

    def do_CONNECT(self):
        host, _, port = self.path.rpartition(":")
        try:
            up = socket.create_connection((host, int(port)), timeout=30)
        except (OSError, ValueError) as e:
            self._record(kind="connect", target=self.path, status=502,
                         error=str(e))
            self._fail(502, "proxy: cannot connect to %s" % self.path)
            return
        self._record(kind="connect", target=self.path, status=200,
                     upstream_port=up.getsockname()[1])
        self.send_response_only(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        pair = [self.connection, up]
        try:
            while True:
                ready, _, _ = select.select(pair, [], [], 30)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is self.connection else
                     self.connection).sendall(data)
        except OSError:
            return
        finally:
            up.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _forward


class FwdProxy:
    """One proxy on 127.0.0.1; start() returns self, stop() ends it."""

    def __init__(self):
        self._server = None
        self._thread = None
        self._log = []
        self._lock = threading.Lock()
        self.url = None
        self.port = None

    def start(self):
        proxy = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

            def record(self, entry):
                with proxy._lock:
                    proxy._log.append(entry)

            def handle_error(self, request, client_address):
                pass

        self._server = Server(("127.0.0.1", 0), _Handler)
        self.port = self._server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="fwdproxy", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._server = None

    def log(self):
        """A copy of what passed through, oldest first."""
        with self._lock:
            return [dict(e) for e in self._log]

    def clear(self):
        with self._lock:
            self._log.clear()

    def __enter__(self):
        return self if self._server else self.start()

    def __exit__(self, *exc):
        self.stop()
