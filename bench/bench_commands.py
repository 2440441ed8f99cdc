#!/usr/bin/env python3
"""bench_commands: the subcommands' speed against the loopback stand-in.

Usage: bench_commands.py [--bin BEDROCK_SETUP] [--runs N] [--latency MS]

(a) regions: every catalog Region answers after LATENCY ms (default 200);
    the wall time of `regions --json` divided by the wall time of the same
    sweep over one Region alone (`--geography Mexico`: mx-central-1).
    Target: within 1.5x.
(b) doctor: `doctor --json` beside the AWS CLI commands that check the same
    things (sts get-caller-identity, bedrock get-foundation-model-availability,
    bedrock-runtime converse), timed in the same run against the same
    stand-in with no added latency; and doctor's peak memory (GNU time's
    maximum resident set, and valgrind massif's heap and stack peak when
    valgrind is installed).  Targets: doctor at least 20x faster than the
    CLI sequence, under 10 MiB.

Figures only: the targets are printed next to them, never asserted.  The
script installs nothing; without the AWS CLI it says where to get one and
skips the comparison.  See bench/README.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "e2e"))
import bstest  # noqa: E402


def option(args, name, default):
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
    return default


def find_binary(args):
    bd = os.environ.get("BS_BUILDDIR") or os.getcwd()
    for c in (option(args, "--bin", None), os.environ.get("BS_BIN"),
              os.path.join(bd, "src", "bedrock-setup"),
              os.path.join(SRCDIR, "build", "src", "bedrock-setup")):
        if c and os.access(c, os.X_OK):
            return os.path.abspath(c)
    sys.exit("bench_commands.py: bedrock-setup not found (give --bin, or set "
             "BS_BIN or BS_BUILDDIR)")


def environment(aws, home):
    """The tests' clean environment (no AWS_* or proxy variables, a
    private HOME), pointing every AWS client at the stand-in."""
    c = aws.scenario["client"]
    env, _ = bstest.clean_env(
        home, AWS_ENDPOINT_URL=aws.url, AWS_REGION=c["region"],
        AWS_DEFAULT_REGION=c["region"], AWS_ACCESS_KEY_ID=c["access_key_id"],
        AWS_SECRET_ACCESS_KEY=c["secret_access_key"],
        AWS_CONFIG_FILE=os.path.join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "credentials"),
        AWS_PAGER="", AWS_CLI_AUTO_PROMPT="off")
    return env


def timed(argv, env):
    """Wall seconds of one run; exits loudly if the command failed."""
    t0 = time.monotonic()
    r = subprocess.run(argv, env=env, capture_output=True, text=True)
    dt = time.monotonic() - t0
    if r.returncode != 0:
        sys.exit("bench_commands.py: %s failed (exit %d):\n%s"
                 % (" ".join(argv[:4]), r.returncode, r.stderr[-2000:]))
    return dt, r.stdout


def ms(seconds):
    return "%7.0f ms" % (seconds * 1000)


def bench_regions(bs, aws, env, runs, latency):
    regions = [r["id"] for r in json.load(open(os.path.join(
        SRCDIR, "data", "catalog.json")))["regions"]]
    aws.update({"regions": {r: {"latency_ms": latency} for r in regions}})
    print("(a) regions: %d Regions, each answering after %d ms "
          "(probe and ListFoundationModels)" % (len(regions), latency))
    all_t, one_t = [], []
    timed([bs, "regions", "--json"], env)                 # warm up
    for _ in range(runs):
        dt, out = timed([bs, "regions", "--json"], env)
        doc = json.loads(out)
        if len(doc) != len(regions) or any(x["latency_ms"] is None or
                                           x["models"] is None for x in doc):
            sys.exit("bench_commands.py: the sweep missed Regions")
        all_t.append(dt)
        dt, out = timed([bs, "regions", "--json", "--geography", "Mexico"],
                        env)
        if len(json.loads(out)) != 1:
            sys.exit("bench_commands.py: --geography Mexico is not one "
                     "Region any more; pick another")
        one_t.append(dt)
    a, o = statistics.median(all_t), statistics.median(one_t)
    print("    all Regions  %s   (median of %d; min %s)"
          % (ms(a), runs, ms(min(all_t)).strip()))
    print("    one Region   %s   (median of %d; min %s)"
          % (ms(o), runs, ms(min(one_t)).strip()))
    print("    all / one     %6.2fx     target <= 1.5x  %s"
          % (a / o, "met" if a / o <= 1.5 else "MISSED"))
    print("    (one after the other it would take at least %.1f s)"
          % (len(regions) * latency / 1000.0))
    aws.update({"regions": {r: {"latency_ms": 0} for r in regions}})


def aws_cli():
    """The aws command if it can run the three calls, else None (why)."""
    aws = shutil.which("aws")
    if aws is None:
        return None, "no 'aws' on PATH"
    for sub in (["bedrock", "get-foundation-model-availability"],
                ["bedrock-runtime", "converse"]):
        r = subprocess.run([aws] + sub + ["help"], capture_output=True,
                           text=True, env=dict(os.environ, PAGER="cat",
                                               AWS_PAGER=""))
        if r.returncode != 0:
            return None, "'aws %s' is not known to %s" % (" ".join(sub), aws)
    return aws, None


def massif_peak(bs, args, env):
    """valgrind massif's peak heap + stack bytes, or None."""
    if shutil.which("valgrind") is None:
        return None
    fd, out = tempfile.mkstemp(prefix="bs-massif-")
    os.close(fd)
    subprocess.run(["valgrind", "--tool=massif", "--stacks=yes",
                    "--massif-out-file=" + out, bs] + args, env=env,
                   capture_output=True)
    peak = 0
    try:
        snap = {}
        for line in open(out):
            k, _, v = line.strip().partition("=")
            if k in ("mem_heap_B", "mem_heap_extra_B", "mem_stacks_B"):
                snap[k] = int(v)
                if len(snap) == 3:
                    peak = max(peak, sum(snap.values()))
                    snap = {}
    except OSError:
        return None
    finally:
        if os.path.exists(out):
            os.unlink(out)
    return peak


def max_rss_kib(bs, args, env):
    """GNU time's maximum resident set size, in KiB, or None."""
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    r = subprocess.run(["/usr/bin/time", "-f", "%M", bs] + args, env=env,
                       capture_output=True, text=True)
    try:
        return int(r.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def bench_doctor(bs, aws, env, runs):
    c = aws.scenario["client"]
    model = c["model"]
    bare = model.split(".", 1)[1] if model.split(".")[0] in (
        "us", "eu", "apac", "jp", "au", "ca", "global") else model
    doctor = [bs, "doctor", "--json", "--model", model]
    print("(b) doctor --json --model %s, no added latency" % model)
    timed(doctor, env)                                     # warm up
    d_t = [timed(doctor, env)[0] for _ in range(runs)]
    d = statistics.median(d_t)
    print("    doctor       %s   (median of %d; min %s)"
          % (ms(d), runs, ms(min(d_t)).strip()))
    cli, why = aws_cli()
    if cli is None:
        print("    AWS CLI      skipped: %s." % why)
        print("                 Debian's awscli package (bookworm: 2.9.19, "
              "`apt-cache policy awscli`) predates Bedrock and lacks these")
        print("                 commands; use AWS CLI v2 from AWS's "
              "installer, or `pip install awscli` (a 2024 or later release).")
    else:
        seq = [[cli, "sts", "get-caller-identity"],
               [cli, "bedrock", "get-foundation-model-availability",
                "--model-id", bare],
               [cli, "bedrock-runtime", "converse", "--model-id", model,
                "--messages", json.dumps([{"role": "user", "content": [
                    {"text": "Reply with the single word: connected."}]}]),
                "--inference-config", "maxTokens=16"]]
        version = subprocess.run([cli, "--version"], capture_output=True,
                                 text=True)
        print("    AWS CLI      %s" % (version.stdout or version.stderr)
              .strip())
        for argv in seq:
            timed(argv, env)                               # warm up
        c_t = []
        for _ in range(runs):
            c_t.append(sum(timed(argv, env)[0] for argv in seq))
        s = statistics.median(c_t)
        print("    CLI, 3 calls %s   (median of %d; min %s)"
              % (ms(s), runs, ms(min(c_t)).strip()))
        print("    CLI / doctor  %6.1fx     target >= 20x   %s"
              % (s / d, "met" if s / d >= 20 else "MISSED"))
    rss = max_rss_kib(bs, doctor[1:], env)
    base = max_rss_kib(bs, ["--version"], env)
    if rss is not None:
        print("    max RSS      %7.1f MiB   target < 10 MiB  %s   "
              "(--version alone: %.1f MiB: the program and its shared "
              "libraries)" % (rss / 1024.0, "met" if rss < 10240 else
                              "MISSED", (base or 0) / 1024.0))
    heap = massif_peak(bs, doctor[1:], env)
    if heap is not None:
        print("    heap+stack   %7.2f MiB   (valgrind massif peak)"
              % (heap / 1048576.0))
    elif rss is None:
        print("    memory       skipped: install GNU time (package time) or "
              "valgrind (package valgrind)")


def main(args):
    if "-h" in args or "--help" in args:
        print(__doc__.strip())
        return 0
    bs = find_binary(args)
    runs = int(option(args, "--runs", "5"))
    latency = int(option(args, "--latency", "200"))
    home = tempfile.mkdtemp(prefix="bs-bench-")
    print("bedrock-setup: %s" % bs)
    with bstest.standin("happy").start() as aws:
        env = environment(aws, home)
        bench_regions(bs, aws, env, runs, latency)
        print()
        bench_doctor(bs, aws, env, runs)
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
