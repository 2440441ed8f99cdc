#!/usr/bin/env python3
"""Translations reach the user: for every language in po/LINGUAS, the
program's own strings (--help, usage errors), the core's N_() strings
(demo scenario summaries) and the wizard's first screen come out in that
language.  Expected texts are read from the .po files themselves."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tui"))
import bstest as t  # noqa: E402
import tmuxdrive  # noqa: E402


def read_po(path):
    """msgid -> msgstr for the translated, non-fuzzy entries of a .po."""
    entries, cur, key, fuzzy = {}, {}, None, False

    def unq(s):
        return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode(
            "latin-1").decode("utf-8")

    def flush():
        if cur.get("msgid") and cur.get("msgstr") and not fuzzy:
            entries[cur["msgid"]] = cur["msgstr"]

    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            flush()
            cur, key = {"msgid": unq(line[6:])}, "msgid"
            if not line.startswith('msgid ""') or len(line) > 8:
                pass
        elif line.startswith("msgstr "):
            cur["msgstr"], key = unq(line[7:]), "msgstr"
        elif line.startswith('"') and key:
            cur[key] = cur.get(key, "") + unq(line)
        elif not line.strip():
            flush()
            cur, key, fuzzy = {}, None, False
    flush()
    return entries


src = t.srcdir()
langs = [l.strip() for l in open(os.path.join(src, "po", "LINGUAS"))
         if l.strip() and not l.startswith("#")]
if not langs:
    t.skip_all("po/LINGUAS lists no language yet")
localedir = os.environ.get("BEDROCK_SETUP_LOCALEDIR", "")

for lang in langs:
    mo = os.path.join(localedir, lang, "LC_MESSAGES", "bedrock-setup.mo")
    t.ok(os.path.exists(mo), "%s: catalog staged for the tests (%s)" %
         (lang, mo))
    po = read_po(os.path.join(src, "po", lang + ".po"))
    env, _ = t.clean_env(LANGUAGE=lang, LANG="C.UTF-8", LC_ALL="C.UTF-8",
                         BEDROCK_SETUP_LOCALEDIR=localedir)

    usage = "Usage: %s [OPTION]... [COMMAND [ARG]...]\n"
    r = t.run(["--help"], env=env)
    t.eq(r.returncode, 0, "%s: --help exits 0" % lang)
    if usage in po:
        t.contains(r.stdout, po[usage].replace("%s", "bedrock-setup"),
                   "%s: the usage line is translated" % lang)
    else:
        t.ok(False, "%s: the usage line has a translation" % lang)

    r = t.run(["--bogus"], env=env)
    t.eq(r.returncode, 2, "%s: usage error exits 2" % lang)
    t.eq(len(r.stderr.strip().splitlines()), 1,
         "%s: usage error is still one line" % lang)
    msg = po.get("unknown option '%s'")
    t.ok(msg is not None and msg.replace("%s", "--bogus") in r.stderr,
         "%s: usage error translated" % lang, r.stderr)

    core = "everything works: the whole journey to a streamed answer"
    r = t.run(["--demo=list"], env=env)
    t.ok(core in po and po[core] in r.stdout,
         "%s: a core N_() string is translated by the program" % lang,
         r.stdout)

    if not tmuxdrive.have_tmux():
        t.skip("%s: wizard screen" % lang, "tmux is not installed")
        continue
    title = "From an AWS account to a first answer from Amazon Bedrock"
    tenv = {"HOME": env["HOME"], "LANGUAGE": lang, "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8", "TERM": "xterm-256color",
            "BEDROCK_SETUP_LOCALEDIR": localedir}
    with tmuxdrive.Session([t.binary(), "--demo"], tenv, 80, 24) as s:
        want = po.get(title, title)
        scr = s.wait_for(want[:30])
        t.ok(scr is not None, "%s: the wizard's title is translated" % lang,
             lambda: s.screen())
        t.ok(scr is not None and not re.search(r"\.\.\.\s*$", scr, re.M),
             "%s: no line of the first screen is cut off at 80x24" % lang,
             lambda: scr)
        s.keys("q")
        t.eq(s.exit_status(), 0, "%s: q exits 0" % lang)

t.done()
