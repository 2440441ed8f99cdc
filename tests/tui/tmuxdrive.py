"""tmuxdrive: run the wizard in a detached tmux session and read its screen.

Each Session has its own tmux server (a private socket), so tests never
touch the user's tmux and can run in parallel.  The program's exit status
is written to a file when it ends, so a test can assert it.
"""

import os
import shlex
import shutil
import subprocess
import tempfile
import time


def have_tmux():
    return shutil.which("tmux") is not None


class Session:
    def __init__(self, argv, env, width=100, height=30):
        self.dir = tempfile.mkdtemp(prefix="bs-tmux-")
        self.sock = os.path.join(self.dir, "sock")
        self.status_file = os.path.join(self.dir, "status")
        inner = " ".join(shlex.quote(a) for a in argv)
        envs = " ".join(shlex.quote("%s=%s" % kv) for kv in sorted(env.items()))
        script = "env -i %s %s; echo $? > %s" % (
            envs, inner, shlex.quote(self.status_file))
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "t",
                   "-x", str(width), "-y", str(height), "sh", "-c", script)
        # Keep the pane after the program exits, so its last screen can
        # still be read.
        self._tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def _tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-S", self.sock] + list(args),
                              capture_output=True, text=True, check=check)

    def screen(self):
        """The visible screen as text, lines joined with newlines."""
        r = self._tmux("capture-pane", "-p", "-t", "t", check=False)
        return r.stdout

    def history(self):
        """The screen and the scrollback above it, as text."""
        r = self._tmux("capture-pane", "-p", "-S", "-", "-t", "t",
                       check=False)
        return r.stdout

    def wait_for(self, text, timeout=10.0):
        """Poll the screen until text shows (or, given a tuple or list,
        every one of the texts: a capture can catch a screen half drawn);
        returns the screen or None."""
        texts = [text] if isinstance(text, str) else list(text)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.screen()
            if all(x in s for x in texts):
                return s
            time.sleep(0.05)
        return None

    def wait_gone(self, text, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.screen()
            if text not in s:
                return s
            time.sleep(0.05)
        return None

    def keys(self, *keys):
        """tmux send-keys names: "q", "Enter", "Escape", "C-c", "Down"."""
        self._tmux("send-keys", "-t", "t", *keys)

    def literal(self, text):
        self._tmux("send-keys", "-t", "t", "-l", text)

    def resize(self, width, height):
        self._tmux("resize-window", "-t", "t", "-x", str(width),
                   "-y", str(height))

    def exit_status(self, timeout=10.0):
        """The program's exit status once it has ended, or None."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with open(self.status_file) as f:
                    s = f.read().strip()
                if s:
                    return int(s)
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        return None

    def close(self):
        self._tmux("kill-server", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
