#!/usr/bin/env python3
"""The command line: --help, --version, usage errors (one line on stderr,
exit 2), reserved subcommands, --demo=list, and the wizard refusing to run
without a terminal."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import bstest as t  # noqa: E402

r = t.run(["--help"])
t.eq(r.returncode, 0, "--help exits 0")
for word in ("Usage: bedrock-setup", "--profile", "--region", "--endpoint-url",
             "--demo", "--debug", "--no-color", "doctor", "policy", "models",
             "regions", "chat"):
    t.contains(r.stdout, word, "--help mentions %s" % word)

r = t.run(["--version"])
t.eq(r.returncode, 0, "--version exits 0")
t.ok(r.stdout.startswith("bedrock-setup "), "--version prints the name",
     r.stdout)

for args, what in ((["--bogus"], "unknown long option"),
                   (["-x"], "unknown short option"),
                   (["frobnicate"], "unknown subcommand"),
                   (["--region"], "option without its value"),
                   (["--demo=nope"], "unknown demo scenario"),
                   (["--endpoint-url", "ftp://x"], "bad endpoint URL")):
    r = t.run(args)
    t.eq(r.returncode, 2, "%s exits 2" % what)
    lines = r.stderr.strip().splitlines()
    t.eq(len(lines), 1, "%s: exactly one line on stderr" % what)
    t.ok(r.stderr.startswith("bedrock-setup: ") and "--help" in r.stderr,
         "%s: names the program and points at --help" % what, r.stderr)
    t.eq(r.stdout, "", "%s: nothing on stdout" % what)

r = t.run(["--bogus"])
t.contains(r.stderr, "--bogus", "the unknown option is named")
r = t.run(["frobnicate"])
t.contains(r.stderr, "frobnicate", "the unknown command is named")

r = t.run(["--demo=list"])
t.eq(r.returncode, 0, "--demo=list exits 0")
for name in ("happy", "no-credentials", "wrong-region", "iam-denied",
             "terms-pending", "needs-profile", "throttled"):
    t.contains(r.stdout, name, "--demo=list lists %s" % name)
# A global option may stand after the command too: every command lists
# the scenarios and does nothing else.
for sub in ("doctor", "policy", "models", "regions", "chat"):
    r = t.run([sub, "--demo=list"], input="")
    t.ok(r.returncode == 0 and "no-credentials" in r.stdout and
         r.stderr == "", "%s --demo=list lists the scenarios" % sub,
         lambda: "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))

# A configuration file that cannot be read: every command says what and
# where on its first line, then the fix, as doctor's credentials gate does.
env, home = t.clean_env()
os.makedirs(os.path.join(home, ".aws"))
with open(os.path.join(home, ".aws", "config"), "w") as f:
    f.write("[default\nregion = us-east-1\n")
for args in (["models"], ["regions"], ["policy"], ["chat", "--model", "x",
                                                   "hi"]):
    r = t.run(args, env=env, input="")
    lines = r.stderr.splitlines()
    t.ok(r.returncode == 3 and len(lines) >= 2 and
         lines[0].startswith("bedrock-setup: ") and
         "~/.aws/config line 1" in lines[0] and
         lines[1].startswith("  Fix ~/.aws/config line 1"),
         "%s, broken config: exit 3, what and where, then the fix" % args[0],
         lambda: "exit %d\n%s" % (r.returncode, r.stderr))

# The wizard needs a terminal: with pipes it says so and exits 3.
r = t.run(["--demo"], input="")
t.eq(r.returncode, 3, "the wizard without a terminal exits 3")
t.contains(r.stderr, "needs a terminal", "and says it needs a terminal")

t.done()
