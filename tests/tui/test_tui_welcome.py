#!/usr/bin/env python3
"""The wizard's first screen, driven through tmux: it shows the title, the
five gates and the key hints, reflows on resize, says when the terminal is
too small, honours NO_COLOR and plain terminals, and quits with status 0
on q, leaving the terminal restored."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import bstest as t  # noqa: E402
import tmuxdrive  # noqa: E402

if not tmuxdrive.have_tmux():
    t.skip_all("tmux is not installed (apt-get install tmux)")

BIN = t.binary()
GATES = ["Credentials", "Region", "Model access", "Provider terms",
         "IAM permission"]
# The whole first screen: the plan, and the key hints on the last line.
WHOLE = ("IAM permission", "q quit", "? help")


def env(**extra):
    e, _ = t.clean_env()
    base = {"HOME": e["HOME"], "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
    if "BEDROCK_SETUP_LOCALEDIR" in os.environ:
        base["BEDROCK_SETUP_LOCALEDIR"] = os.environ["BEDROCK_SETUP_LOCALEDIR"]
    base.update(extra)
    return base


def first_screen(name, s):
    t.ok(s is not None, name + ": the first screen appears")
    if s is None:
        return
    t.contains(s, "bedrock-setup", name + ": title in the header")
    for g in GATES:
        t.contains(s, g, name + ": gate '%s' in the plan" % g)
    t.contains(s, "bedrock:InvokeModel", name + ": the IAM gate names the action")
    t.contains(s, "q quit", name + ": key hint for quit")
    t.contains(s, "? help", name + ": key hint for help")


# 1. Demo, 100x30: the first screen, then q exits 0.
with tmuxdrive.Session([BIN, "--demo"], env(), 100, 30) as s:
    scr = s.wait_for(WHOLE)
    first_screen("demo 100x30", scr)
    t.contains(scr or "", "DEMO: happy", "demo mode is shown in the header")
    t.contains(scr or "", "no network", "demo mode says it uses no network")
    s.keys("?")
    h = s.wait_for("Keys on this screen")
    t.ok(h is not None, "? opens the help overlay")
    s.keys("Escape")
    t.ok(s.wait_gone("Keys on this screen") is not None,
         "Esc closes the help overlay")
    s.keys("q")
    t.eq(s.exit_status(), 0, "q quits with status 0")
    after = s.screen()
    t.ok("IAM permission" not in after,
         "the terminal is restored (the wizard's screen is gone)",
         lambda: after)

# 2. Resize: smaller than 80x24 shows the message, growing back redraws.
with tmuxdrive.Session([BIN, "--demo"], env(), 100, 30) as s:
    t.ok(s.wait_for("IAM permission") is not None, "resize: starts")
    s.resize(60, 20)
    small = s.wait_for("Terminal too small")
    t.ok(small is not None, "60x20: 'terminal too small' replaces the screen")
    t.contains(small or "", "80x24", "the message says the size needed")
    s.resize(120, 40)
    big = s.wait_for("IAM permission")
    t.ok(big is not None and "Terminal too small" not in big,
         "growing back redraws the first screen")
    lines = (big or "").splitlines()
    t.ok(len(lines) >= 39 and any(len(l.rstrip()) > 100 for l in lines),
         "the screen reflows to 120x40", lambda: big)
    s.keys("q")
    t.eq(s.exit_status(), 0, "quit after resizing exits 0")

# 3. Plain terminals and no colour.
for term, extra in (("vt100", {}), ("linux", {}), ("screen", {}),
                    ("xterm", {"NO_COLOR": "1"})):
    with tmuxdrive.Session([BIN, "--demo"], env(TERM=term, **extra),
                           80, 24) as s:
        scr = s.wait_for(WHOLE)
        first_screen("TERM=%s%s" % (term, " NO_COLOR" if extra else ""), scr)
        s.keys("q")
        t.eq(s.exit_status(), 0, "TERM=%s: q exits 0" % term)

# 4. ASCII locale: no UTF-8 glyphs are drawn.
with tmuxdrive.Session([BIN, "--demo", "--no-color"],
                       env(LANG="C", LC_ALL="C", TERM="vt100"), 80, 24) as s:
    scr = s.wait_for("IAM permission")
    t.ok(scr is not None, "C locale: the first screen appears")
    t.ok(scr is not None and "\u2500" not in scr and "\u25cb" not in scr,
         "C locale: ASCII line drawing", lambda: scr)
    s.keys("q")
    t.eq(s.exit_status(), 0, "C locale: q exits 0")

t.done()
