"""bstest: the small harness every end-to-end test imports.

It prints the Test Anything Protocol (tests/run-tests counts the lines),
finds the program under test and the source and build folders, and runs
the program with a clean environment so that nothing from the developer's
own ~/.aws leaks into a test.

Environment (set by tests/run-tests; defaults suit a run from the build dir):
  BS_BIN      path of the bedrock-setup binary
  BS_SRCDIR   top of the source tree
  BS_BUILDDIR top of the build tree
"""

import os
import subprocess
import sys
import tempfile

_n = 0
_failed = 0


def ok(cond, name, diag=None):
    """One TAP check; diag (str or callable) is printed only on failure."""
    global _n, _failed
    _n += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (_n, name))
    if not cond:
        _failed += 1
        if callable(diag):
            diag = diag()
        if diag:
            for line in str(diag).splitlines():
                print("#   " + line)
    sys.stdout.flush()
    return cond


def eq(got, want, name):
    return ok(got == want, name, lambda: "got  %r\nwant %r" % (got, want))


def contains(haystack, needle, name):
    return ok(needle in haystack, name,
              lambda: "wanted %r in:\n%s" % (needle, haystack))


def skip(name, reason):
    """A check that could not run, with the reason (printed loudly)."""
    global _n
    _n += 1
    print("ok %d - %s # SKIP %s" % (_n, name, reason))
    sys.stderr.write("SKIP: %s: %s\n" % (name, reason))
    sys.stdout.flush()


def skip_all(reason):
    """Nothing in this file can run: say why, loudly, and stop."""
    print("1..0 # SKIP %s" % reason)
    sys.stderr.write("SKIP (whole file): %s\n" % reason)
    sys.exit(0)


def diag(msg):
    for line in str(msg).splitlines():
        print("# " + line)


def done():
    print("1..%d" % _n)
    sys.exit(1 if _failed else 0)


def srcdir():
    return os.environ.get("BS_SRCDIR") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", ".."))


def builddir():
    return os.environ.get("BS_BUILDDIR") or os.getcwd()


def binary():
    b = os.environ.get("BS_BIN")
    if b:
        return b
    for cand in (os.path.join(builddir(), "src", "bedrock-setup"),
                 os.path.join(srcdir(), "src", "bedrock-setup")):
        if os.access(cand, os.X_OK):
            return cand
    skip_all("bedrock-setup binary not found (set BS_BIN)")
    return None


# libcurl's proxy variables: a developer's own proxy must not carry the
# tests' loopback traffic (tests that want a proxy set them again).
PROXY_VARS = ("http_proxy", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY",
              "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")


def clean_env(home=None, **extra):
    """An environment with no AWS_* or proxy variables and a private HOME.

    Returns (env, home).  Extra keyword arguments are added as variables.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("NO_COLOR",) and
           k not in PROXY_VARS}
    if home is None:
        home = tempfile.mkdtemp(prefix="bs-home-")
    env["HOME"] = home
    env["LC_ALL"] = "C.UTF-8"
    env["LANGUAGE"] = ""
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    for k, v in extra.items():
        env[k] = v
    return env, home


def standin(scenario="happy", tls=None):
    """A loopback AWS stand-in (tests/stand-in) for the scenario, not
    started yet: use it as `with bstest.standin("happy").start() as aws:`.
    tls=(cert, key) makes it serve https:// (see make_cert)."""
    path = os.path.join(srcdir(), "tests", "stand-in")
    if path not in sys.path:
        sys.path.insert(0, path)
    from standin import StandIn
    return StandIn(scenario, tls=tls)


def make_cert(folder, name):
    """A self-signed certificate for 127.0.0.1 and localhost, made with
    the openssl program into folder: returns (cert_path, key_path).  The
    certificate is its own CA, so a client trusts it only when given it as
    its bundle.  Raises RuntimeError when openssl fails or is missing."""
    cert = os.path.join(folder, name + ".pem")
    key = os.path.join(folder, name + ".key")
    try:
        p = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
             "-out", cert, "-days", "2", "-subj", "/CN=" + name, "-addext",
             "subjectAltName=IP:127.0.0.1,DNS:localhost"],
            capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise RuntimeError("cannot run openssl: %s" % e)
    if p.returncode != 0:
        raise RuntimeError("openssl req failed: " + p.stderr)
    return cert, key


def run(args, env=None, input=None, timeout=60):
    """Run the program; returns CompletedProcess with text stdout/stderr."""
    if env is None:
        env, _ = clean_env()
    return subprocess.run([binary()] + list(args), env=env, input=input,
                          capture_output=True, text=True, timeout=timeout)
