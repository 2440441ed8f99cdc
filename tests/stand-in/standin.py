#!/usr/bin/env python3
"""standin: a loopback stand-in for the AWS endpoints bedrock-setup uses.

As a module (tests put this folder on sys.path):

    from standin import StandIn
    with StandIn("happy").start() as aws:          # or a dict or a path
        env["AWS_ENDPOINT_URL"] = aws.url
        ...run the client...
        log = aws.requests()                        # list of dicts

As a program:

    python3 standin.py --scenario FILE [--port 0] [--port-file F] [--log F]
                       [--tls-cert CERT --tls-key KEY]

It serves until SIGTERM/SIGINT.  The port file is written (atomically) once
the socket listens.  See README for the scenario format, routing and
fault injection.
"""

import argparse
import copy
import json
import os
import signal
import ssl
import sys
import threading

sys.dont_write_bytecode = True  # keep the source tree clean (distcheck)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fakeaws.app import App  # noqa: E402
from fakeaws.server import Server  # noqa: E402
from fakeaws.world import ScenarioError, World, deep_merge, load_scenario  # noqa: E402,E501

__all__ = ["StandIn", "ScenarioError", "load_scenario"]


class StandIn:
    """One stand-in server.  start() returns self; stop() ends it.

    tls=(certfile, keyfile) serves https:// with that certificate (PEM;
    the key unencrypted) instead of plain http://.
    """

    def __init__(self, scenario="happy", port=0, tls=None):
        self._doc = load_scenario(scenario)
        self.app = App(World(self._doc))
        self._port = port
        self._tls = None
        if tls is not None:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(tls[0], tls[1])
        self._server = None
        self._thread = None
        self._lock = threading.Lock()
        self.url = None
        self.port = None

    # -- life cycle
    def start(self):
        self.app.stopping.clear()
        self._server = Server(self.app, self._port, self._control,
                              self._tls)
        self.port = self._server.server_address[1]
        self.url = "%s://127.0.0.1:%d" % (
            "https" if self._tls is not None else "http", self.port)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="standin", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self.app.stopping.set()
        self._server.shutdown()
        self._server.drop_connections()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._server = None

    def __enter__(self):
        return self if self._server else self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- the world
    @property
    def world(self):
        return self.app.world

    @property
    def scenario(self):
        """A copy of the current scenario document."""
        return copy.deepcopy(self._doc)

    def set_scenario(self, scenario):
        """Replace the world (state starts afresh); the log is kept."""
        with self._lock:
            doc = load_scenario(scenario)
            self.app.world = World(doc)
            self._doc = doc
        return self

    def update(self, patch):
        """Deep-merge patch into the scenario (None deletes a key).

        Issued credentials and IMDS tokens survive; agreements and the
        use-case form keep their current state unless the patch sets them;
        fault counters restart only when the patch has "faults".
        """
        with self._lock:
            doc = deep_merge(self._doc, patch)
            self.app.world = World(doc, previous=self.app.world, patch=patch)
            self._doc = doc
        return self

    def add_fault(self, rule):
        """Append one fault rule, keeping the counters of the others."""
        self.world.faults.add(rule)
        with self._lock:
            self._doc.setdefault("faults", []).append(dict(rule))
        return self

    def set_clock_offset(self, seconds):
        return self.update({"clock_offset_s": seconds})

    def faults(self):
        """Use counts of the current fault rules."""
        return self.world.faults.status()

    # -- the log
    def requests(self):
        """A copy of the request log (oldest first); no secrets in it."""
        with self.app.log_lock:
            return copy.deepcopy(self.app.log)

    def clear_requests(self):
        with self.app.log_lock:
            self.app.log.clear()

    def log_to(self, stream):
        """Also write each log entry as one JSON line to stream."""
        self.app.log_sink = stream

    # -- control endpoint (/_standin/...), for tests not written in Python
    def _control(self, method, path, body):
        try:
            obj = json.loads(body or b"null")
            what = path[len("/_standin/"):].split("?")[0]
            if method == "GET" and what == "requests":
                return 200, self.requests()
            if method == "GET" and what == "faults":
                return 200, self.faults()
            if method == "GET" and what == "health":
                return 200, {"ok": True}
            if method == "POST" and what == "update":
                self.update(obj)
            elif method == "POST" and what == "scenario":
                self.set_scenario(obj)
            elif method == "POST" and what == "fault":
                self.add_fault(obj)
            elif method == "POST" and what == "clear-requests":
                self.clear_requests()
            else:
                return 404, {"error": "unknown control request"}
            return 200, {"ok": True}
        except (ValueError, TypeError, KeyError) as e:
            return 400, {"error": str(e)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default="happy",
                    help="scenario file or name in scenarios/")
    ap.add_argument("--port", type=int, default=0, help="0 = a free port")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--tls-cert", help="serve https:// with this PEM "
                    "certificate (needs --tls-key)")
    ap.add_argument("--tls-key", help="the certificate's PEM private key")
    args = ap.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        sys.stderr.write("standin: --tls-cert and --tls-key go together\n")
        return 2
    try:
        standin = StandIn(args.scenario, args.port,
                          (args.tls_cert, args.tls_key)
                          if args.tls_cert else None)
    except (ScenarioError, ValueError, OSError) as e:
        sys.stderr.write("standin: %s\n" % e)
        return 2
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    if log:
        standin.log_to(log)
    standin.start()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % standin.port)
        os.replace(tmp, args.port_file)
    sys.stderr.write("standin: %s (scenario %s)\n"
                     % (standin.url, args.scenario))
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    while not done.wait(0.5):
        pass
    standin.stop()
    if log:
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
