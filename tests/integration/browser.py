"""A real browser for the dashboard tests: Debian's chromium driven by playwright-core
(tests/integration/dashboard/browser.mjs) through one JSON command per line. Fresh profile per
run, headless, no network beyond the test server; stopped by pid."""
import json
import os
import shutil
import subprocess
import tempfile

from harness import TOP

SCRIPT = os.path.join(TOP, "tests", "integration", "dashboard", "browser.mjs")


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="djtv-chromium-")
        env = dict(os.environ, DJTV_BROWSER_PROFILE=self.profile,
                   NODE_PATH=os.path.join(TOP, "node_modules"))
        self.proc = subprocess.Popen(["node", SCRIPT], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     cwd=TOP, env=env, bufsize=1)

    def cmd(self, name, **kw):
        kw["cmd"] = name
        self.proc.stdin.write(json.dumps(kw) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise BrowserError("the browser driver ended: " + self.proc.stderr.read()[-2000:])
        reply = json.loads(line)
        if not reply["ok"]:
            raise BrowserError(f"{name} {kw}: {reply['error']}")
        return reply.get("value")

    def __getattr__(self, name):
        return lambda **kw: self.cmd(name, **kw)

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
