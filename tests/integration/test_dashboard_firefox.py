"""A smoke test of the dashboard in Firefox ESR (headless, `--screenshot`): the login page loads
over HTTPS with the test CA trusted in a fresh profile, its ES modules run (the page asks the
server who is logged in), and the screenshot is written to tests/out/dashboard-firefox/."""
import os
import subprocess
import tempfile
import shutil

from harness import Server, out_dir
from webclient import web_args

server = None


def setup_module():
    global server
    server = Server("dashboard-firefox").start(extra=web_args())


def teardown_module():
    server.finish()


def test_login_page_loads_and_runs_in_firefox():
    shots = out_dir("dashboard-firefox")
    png = os.path.join(shots, "login.png")
    profile = tempfile.mkdtemp(prefix="djtv-firefox-")
    try:
        subprocess.run(["certutil", "-N", "-d", f"sql:{profile}", "--empty-password"], check=True,
                       capture_output=True, timeout=30)
        subprocess.run(["certutil", "-A", "-n", "djtv-test-ca", "-t", "C,,", "-i", server.ca,
                        "-d", f"sql:{profile}"], check=True, capture_output=True, timeout=30)
        env = dict(os.environ, MOZ_HEADLESS="1", HOME=profile)
        r = subprocess.run(["firefox-esr", "--headless", "--no-remote", "--profile", profile,
                            "--window-size=1366,768", "--screenshot", png,
                            server.url + "/dashboard/"],
                           capture_output=True, text=True, timeout=120, env=env)
        assert r.returncode == 0, r.stderr[-2000:]
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert os.path.getsize(png) > 5000, "no screenshot"
    log = server.log_text()
    # app.js ran: its first request asks who is logged in (nobody: 401, the login form shows).
    assert "GET /api/v1/sessions/current -> 401" in log, log[-3000:]
