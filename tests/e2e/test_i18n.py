#!/usr/bin/env python3
"""Translations reach the user: for every language in po/LINGUAS, the
program's own strings (--help, usage errors), a usage error and a piece of
the normal output of every subcommand (doctor, policy, models, regions,
chat), the core's N_() strings (demo scenario summaries, a five-gate
diagnosis, the credential chain's states), the catalog's notes, and the
wizard's first, Region and models screens come out in that language, with
the Region table's columns still lined up at 80x24.  Expected texts are
read from the .po files themselves; the .po must be complete (no fuzzy or
untranslated entry), and data/catalog-text.c must match the catalog."""

import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tui"))
import bstest as t  # noqa: E402
import tmuxdrive  # noqa: E402


def read_po(path):
    """(msgid -> msgstr for the translated, non-fuzzy singular entries,
    the msgids of the entries that are fuzzy or untranslated)."""
    entries, todo = {}, []
    cur, key, fuzzy = {}, None, False

    def unq(s):
        return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode(
            "latin-1").decode("utf-8")

    def flush():
        if not cur.get("msgid"):
            return
        strs = [v for k, v in cur.items() if k.startswith("msgstr")]
        if fuzzy or not strs or not all(strs):
            todo.append(cur["msgid"])
        elif "msgstr" in cur:
            entries[cur["msgid"]] = cur["msgstr"]

    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid "):
            cur, key = {"msgid": unq(line[6:])}, "msgid"
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            cur[key] = unq(line[13:])
        elif line.startswith("msgstr"):
            key, _, rest = line.partition(" ")
            cur[key] = unq(rest)
        elif line.startswith('"') and key:
            cur[key] = cur.get(key, "") + unq(line)
        elif not line.strip():
            flush()
            cur, key, fuzzy = {}, None, False
    flush()
    return entries, todo


# A printf conversion or a diagnosis/access template placeholder.
PLACEHOLDER = re.compile(
    r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?:hh|h|ll|l|z|j|t|L)?[a-zA-Z%]|\{[?!]?[a-z_]+\}|\{/\}")


def fixed(text):
    """The longest literal run of a template outside its conditional
    parts ({?name}...{/}, {!name}...{/}): text the output must hold
    whatever the placeholders expand to."""
    runs, depth, at = [], 0, 0
    for m in PLACEHOLDER.finditer(text + "{/}"):
        if depth == 0:
            runs.append(text[at:m.start()])
        if m.group().startswith(("{?", "{!")):
            depth += 1
        elif m.group() == "{/}" and depth > 0:
            depth -= 1
        at = m.end()
    return max(runs, key=len).strip()


def prefix(text):
    """The literal text before a template's first placeholder."""
    return PLACEHOLDER.split(text)[0].strip()


def locale_for(lang):
    """An installed UTF-8 locale of the language (de -> de_DE.utf8)."""
    r = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    for name in r.stdout.split():
        if name.startswith(lang + "_") and name.lower().endswith(
                (".utf8", ".utf-8")):
            return name
    return None


def flat(s):
    """Whitespace runs as one space: wrapped screen text compares."""
    return " ".join(s.split())


def tr(po, lang, msgid):
    """The translation, or a failed check (and the msgid) when missing."""
    if msgid not in po:
        t.ok(False, "%s: %r has a translation" % (lang, msgid))
        return msgid
    return po[msgid]


src = t.srcdir()
langs = [l.strip() for l in open(os.path.join(src, "po", "LINGUAS"))
         if l.strip() and not l.startswith("#")]
if not langs:
    t.skip_all("po/LINGUAS lists no language yet")
localedir = os.environ.get("BEDROCK_SETUP_LOCALEDIR", "")
catalog = json.load(open(os.path.join(src, "data", "catalog.json"),
                         encoding="utf-8"))

# The catalog's texts for people are marked for xgettext by a generated
# file; a stale one leaves new texts untranslated.
gen = subprocess.run([sys.executable,
                      os.path.join(src, "tools", "catalog-text.py"),
                      os.path.join(src, "data", "catalog.json")],
                     capture_output=True, text=True)
t.ok(gen.returncode == 0 and gen.stdout == open(
    os.path.join(src, "data", "catalog-text.c"), encoding="utf-8").read(),
    "data/catalog-text.c is what tools/catalog-text.py makes of the catalog",
    gen.stderr or "regenerate it: tools/catalog-text.py data/catalog.json "
    "> data/catalog-text.c, then make update-po in build/po")

for lang in langs:
    mo = os.path.join(localedir, lang, "LC_MESSAGES", "bedrock-setup.mo")
    t.ok(os.path.exists(mo), "%s: catalog staged for the tests (%s)" %
         (lang, mo))
    po, todo = read_po(os.path.join(src, "po", lang + ".po"))
    t.ok(not todo, "%s: no fuzzy or untranslated entry" % lang,
         lambda: "\n".join(todo[:20]))
    env, _ = t.clean_env(LANGUAGE=lang, LANG="C.UTF-8", LC_ALL="C.UTF-8",
                         BEDROCK_SETUP_LOCALEDIR=localedir)

    def run(args, name, status):
        r = t.run(args, env=env)
        t.eq(r.returncode, status, "%s: %s exits %d" % (lang, name, status))
        return r

    # The program's own strings.
    r = run(["--help"], "--help", 0)
    usage = tr(po, lang, "Usage: %s [OPTION]... [COMMAND [ARG]...]\n")
    t.contains(r.stdout, usage.replace("%s", "bedrock-setup"),
               "%s: the usage line is translated" % lang)

    r = run(["--bogus"], "a usage error", 2)
    t.eq(len(r.stderr.strip().splitlines()), 1,
         "%s: usage error is still one line" % lang)
    t.contains(r.stderr, tr(po, lang, "unknown option '%s'").replace(
        "%s", "--bogus"), "%s: usage error translated" % lang)

    # As people set it: LANG alone, with the language's own locale.
    loc = locale_for(lang)
    if loc is None:
        t.skip("%s: LANG=%s_XX.UTF-8 alone" % (lang, lang),
               "no %s_*.UTF-8 locale is installed (localedef -i %s_%s -f "
               "UTF-8 %s_%s.UTF-8)" % (lang, lang, lang.upper(), lang,
                                       lang.upper()))
    else:
        lenv = dict(env, LANG=loc)
        del lenv["LC_ALL"], lenv["LANGUAGE"]
        r = t.run(["--bogus"], env=lenv)
        t.contains(r.stderr, tr(po, lang, "unknown option '%s'").replace(
            "%s", "--bogus"), "%s: LANG=%s alone selects the language" %
            (lang, loc))

    core = "everything works: the whole journey to a streamed answer"
    r = run(["--demo=list"], "--demo=list", 0)
    t.contains(r.stdout, tr(po, lang, core),
               "%s: a core N_() string is translated by the program" % lang)

    # Every subcommand: a usage error of its own, and its normal output.
    for cmd, fmt in (("doctor", "doctor takes no argument '%s'"),
                     ("models", "models takes no argument '%s'"),
                     ("regions", "regions takes no argument '%s'"),
                     ("policy", "policy takes no argument '%s' (models go "
                      "after --model)")):
        r = run(["--demo", cmd, "surplus"], cmd + " surplus", 2)
        t.contains(r.stderr, tr(po, lang, fmt).replace("%s", "surplus"),
                   "%s: %s's usage error is translated" % (lang, cmd))
    r = run(["--demo", "chat", "--max-tokens", "0", "hi"],
            "chat --max-tokens 0", 2)
    t.contains(r.stderr, tr(po, lang, "--max-tokens needs a positive whole "
                            "number, not '%s'").replace("%s", "0"),
               "%s: chat's usage error is translated" % lang)

    r = run(["--demo", "doctor"], "doctor", 0)
    t.contains(r.stdout, fixed(tr(po, lang, "Verdict: all %zu gates "
                                  "checked passed.\n")),
               "%s: doctor's verdict is translated" % lang)
    t.contains(r.stdout, "[%s]" % tr(po, lang, "PASS"),
               "%s: doctor's status tags are translated" % lang)
    t.contains(r.stdout, tr(po, lang, "used") + ": ",
               "%s: the credential chain's states are translated" % lang)

    r = run(["--demo", "policy", "--explain"], "policy --explain", 0)
    t.contains(r.stderr, tr(po, lang, "Why each statement is there:"),
               "%s: policy's explanation heading is translated" % lang)
    t.contains(r.stderr, fixed(tr(po, lang, "Lets the application call "
                                  "these foundation models directly by "
                                  "their model id in the Region it calls. "
                                  "Converse needs bedrock:InvokeModel and "
                                  "ConverseStream needs bedrock:InvokeModel"
                                  "WithResponseStream; there is no "
                                  "bedrock:Converse action.")),
               "%s: policy's core explanation is translated" % lang)

    r = run(["--demo", "models"], "models", 0)
    head = [l for l in r.stdout.splitlines() if tr(po, lang, "MODEL") in l]
    t.ok(head and all(tr(po, lang, h) in head[0]
                      for h in ("ACCESS", "CALL", "INPUT > OUTPUT")),
         "%s: models' table heads are translated" % lang, r.stdout)
    t.contains(r.stdout, tr(po, lang, "on-demand"),
               "%s: models names how a model is called" % lang)

    r = run(["--demo", "regions"], "regions", 0)
    head = [l for l in r.stdout.splitlines() if tr(po, lang, "REGION") in l]
    t.ok(head and all(tr(po, lang, h) in head[0]
                      for h in ("GEOGRAPHY", "LATENCY", "MODELS")),
         "%s: regions' table heads are translated" % lang, r.stdout)
    t.contains(r.stdout, tr(po, lang, "Latency: connection set-up (TCP and "
                            "TLS) to each Region's bedrock-runtime endpoint, "
                            "measured now from here.\n"),
               "%s: regions' legend is translated" % lang)

    r = run(["--demo", "chat", "Hello"], "chat", 0)
    t.contains(r.stderr, fixed(tr(po, lang, "stop: %s; tokens: %ld in, %ld "
                                  "out, %ld total; latency: %stotal %.0f "
                                  "ms")),
               "%s: chat's statistics line is translated" % lang)

    # A diagnosis from the core's rules table, with its fix.
    r = run(["--demo=iam-denied", "doctor"], "--demo=iam-denied doctor", 1)
    cause = tr(po, lang, "This identity has no permission for {action} on "
               "{resource}{?boundary} (its permissions boundary does not "
               "allow it){/}{?session_policy} (its session policy does not "
               "allow it){/}.")
    t.contains(r.stdout, fixed(cause),
               "%s: the core's diagnosis is translated" % lang)
    t.contains(r.stdout, "[%s]" % tr(po, lang, "FAIL"),
               "%s: the failing gate's tag is translated" % lang)
    t.contains(r.stdout, tr(po, lang, "Fix: ").strip(),
               "%s: the fix is introduced in the language" % lang)
    t.contains(r.stdout, tr(po, lang, "the call was refused: see the %s "
                            "gate").replace("%s", "iam"),
               "%s: the skipped gate says why" % lang)

    if not tmuxdrive.have_tmux():
        t.skip("%s: wizard screens" % lang, "tmux is not installed")
        continue
    title = "From an AWS account to a first answer from Amazon Bedrock"
    tenv = {"HOME": env["HOME"], "LANGUAGE": lang, "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8", "TERM": "xterm-256color",
            "BEDROCK_SETUP_LOCALEDIR": localedir}
    step = tr(po, lang, "step %d/6 %s")
    with tmuxdrive.Session([t.binary(), "--demo"], tenv, 80, 24) as s:
        want = tr(po, lang, title)
        scr = s.wait_for(want[:30])
        t.ok(scr is not None, "%s: the wizard's title is translated" % lang,
             lambda: s.screen())
        t.ok(scr is not None and not re.search(r"\.\.\.\s*$", scr, re.M),
             "%s: no line of the first screen is cut off at 80x24" % lang,
             lambda: scr)

        s.keys("Enter")
        scr = s.wait_for(tr(po, lang, "Signed in"))
        t.ok(scr is not None, "%s: the credentials screen is translated" %
             lang, lambda: s.screen())
        s.keys("Enter")
        region_step = step.replace("%d", "2", 1).replace(
            "%s", tr(po, lang, "Region"), 1)
        scr = s.wait_for(region_step)
        t.ok(scr is not None, "%s: the Region step is named" % lang,
             lambda: s.screen())
        # The first row, once its latency is measured.
        end = time.monotonic() + 15
        while time.monotonic() < end and not re.search(
                r"^\s+us-east-1\s.*\d+ ms", scr or "", re.M):
            time.sleep(0.1)
            scr = s.screen()
        scr = scr or ""
        t.contains(scr, tr(po, lang, "use this Region"),
                   "%s: the Region step's key hints are translated" % lang)
        t.contains(scr.splitlines()[-1] if scr else "", "Esc " +
                   tr(po, lang, "back"), "%s: the Region step's footer "
                   "still has room for its last hint at 80 columns" % lang)
        lines = scr.splitlines()
        heads = [l for l in lines if tr(po, lang, "Latency") in l and
                 tr(po, lang, "Models") in l and tr(po, lang, "Profiles")
                 in l]
        row = [l for l in lines if re.match(r"\s+us-east-1\s", l)]
        m = row and re.search(r"\d+ ms\s+(\d+)\s", row[0])
        t.ok(heads and m and heads[0].index(tr(po, lang, "Models")) +
             len(tr(po, lang, "Models")) == m.end(1),
             "%s: the Region table's model counts sit under their head" %
             lang, lambda: scr)
        t.ok(not re.search(r"\.\.\.\s*$", scr, re.M),
             "%s: no line of the Region screen is cut off at 80x24" % lang,
             lambda: scr)
        geo = [g for g in catalog["geographies"]
               if g["name"] == "United States"][0]["residency"]
        t.contains(flat(scr), flat(tr(po, lang, geo)),
                   "%s: the catalog's data-residency note is translated" %
                   lang)

        s.keys("Enter")
        models_step = step.replace("%d", "3", 1).replace(
            "%s", tr(po, lang, "Models"), 1)
        scr = s.wait_for([models_step, tr(po, lang, "ready")])
        t.ok(scr is not None, "%s: the models step, with access states" %
             lang, lambda: s.screen())
        scr = scr or ""
        t.contains(scr, prefix(tr(po, lang, "Chat models in %s (%s). Each "
                                  "row is its own grant; Space selects "
                                  "several.")),
                   "%s: the model list's title is translated" % lang)
        t.ok(all(tr(po, lang, h) in scr for h in ("Model", "Input",
                                                   "Called", "Access")),
             "%s: the model list's heads are translated" % lang,
             lambda: scr)
        t.contains(scr, tr(po, lang, "on demand"),
                   "%s: how a model is called is translated" % lang)
        terms = [p for p in catalog["providers"]
                 if p["name"] == "Amazon"][0]["terms"]
        t.contains(flat(scr), flat(tr(po, lang, terms))[:60],
                   "%s: the catalog's provider terms are translated" % lang)
        s.keys("q")
        t.eq(s.exit_status(), 0, "%s: q exits 0" % lang)

t.done()
