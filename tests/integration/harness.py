"""Shared pieces for the integration tests: a test CA and certificates, the real djtv-server
on 127.0.0.1 with a fresh SQLite file and demo data, HTTPS calls pinned to the test CA, and
the real djtv client run headless with a key script, its UI dump parsed.

Everything a test starts is stopped by pid, also when the test fails."""
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TOP = os.environ.get("DJTV_TOP") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("DJTV_BUILD") or os.path.join(TOP, "build")
OUT = os.environ.get("DJTV_TEST_OUT") or os.path.join(TOP, "tests", "out")
FONT = os.path.join(TOP, "fonts", "NotoSansSC-DJTV.otf")
VALGRIND = os.environ.get("DJTV_VALGRIND") == "1"
# How much longer the client takes to do anything: valgrind 20-50x, ASan + UBSan about 3x (a
# screenshot per script step alone is seconds there). Multiplies waits, never assertions.
SLOWDOWN = 6 if VALGRIND else 3 if "asan" in os.path.basename(
    os.environ.get("DJTV_BUILD", "")) else 1


class Skip(Exception):
    """Raised by a test that this machine cannot run; tests/run.py reports it as skipped with
    the message as the reason."""


def out_dir(name):
    """A fresh folder under tests/out/ for a test's screenshots and logs (kept for a look)."""
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_certs(directory, name=""):
    """A CA and a server certificate for 127.0.0.1/localhost; returns the CA's PEM path."""
    args = [os.path.join(TOP, "toolchain", "make-certs.sh"), directory]
    if name:
        args.append(name)
    subprocess.run(args, check=True)
    return os.path.join(directory, f"{name + '-' if name else ''}ca.pem")


def stop_process(proc, grace=15):
    """SIGTERM to PROC unless it has exited, SIGKILL when it is still there after GRACE
    seconds; its exit code (negative: the signal that ended it)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


# The servers of the module being run (from start() to cleanup()): a failed test's report ends
# with what they logged (the folder with server.log goes at teardown, CI keeps only the report).
RUNNING = []


def server_log_tails(lines=25):
    """The last LINES warnings, errors and libmicrohttpd messages (TLS failures, connections it
    closed) of each running server's log, as text for a failed test's report ("" if none)."""
    out = []
    for s in RUNNING:
        keep = [ln for ln in s.log_text().splitlines()
                if ln[13:18] in ("warn ", "error") or " [mhd] " in ln]
        if keep:
            out.append(f"--- {s.log_path}: its last warnings, errors and [mhd] lines\n"
                       + "\n".join(keep[-lines:]))
    return "\n".join(out)


class Server:
    """djtv-server with a fresh demo database, on a free loopback port."""

    def __init__(self, name="server"):
        self.dir = tempfile.mkdtemp(prefix=f"djtv-{name}-")
        self.ca = make_certs(self.dir)
        self.db = os.path.join(self.dir, "djtv.db")
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.dir, "server.log")
        self.proc = None
        self.boxes = []
        subprocess.run([os.path.join(BUILD, "djtv-server"), "demo", "--db", self.db,
                        "--assets", os.path.join(TOP, "assets"),
                        "--boxes-out", os.path.join(self.dir, "boxes.tsv")],
                       check=True, capture_output=True, timeout=120)
        with open(os.path.join(self.dir, "boxes.tsv"), encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            for line in f:
                self.boxes.append(dict(zip(header, line.rstrip("\n").split("\t"))))
        # The demo's accounts (one cadre per village, two staff, one admin), random passwords.
        self.accounts = {}
        with open(os.path.join(self.dir, "accounts.tsv"), encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            for line in f:
                row = dict(zip(header, line.rstrip("\n").split("\t")))
                self.accounts[row["username"]] = row

    def start(self, extra=()):
        cmd = [os.path.join(BUILD, "djtv-server"), "--listen", "127.0.0.1",
               "--port", str(self.port), "--cert", os.path.join(self.dir, "server.crt"),
               "--key", os.path.join(self.dir, "server.key"), "--db", self.db,
               "--assets", os.path.join(TOP, "assets"), "--log-level", "debug", *extra]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        if self not in RUNNING:
            RUNNING.append(self)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"djtv-server exited with {self.proc.returncode}: "
                                   + self.log_text()[-2000:])
            try:
                status, _ = self.get("/health")
                if status == 200:
                    return self
            except (OSError, ssl.SSLError):
                pass
            time.sleep(0.05)
        raise RuntimeError("djtv-server did not answer /health in 20 s")

    def stop(self):
        """SIGTERM and wait; returns the exit code (0 = clean shutdown)."""
        if self.proc is None:
            return None
        code = stop_process(self.proc)
        self.log.close()
        self.proc = None
        return code

    def cleanup(self):
        self.stop()
        if self in RUNNING:
            RUNNING.remove(self)
        shutil.rmtree(self.dir, ignore_errors=True)

    def finish(self, *dirs):
        """A test module's teardown: stop, remove the server's folder and DIRS, then assert that
        the server shut down cleanly (exit code 0)."""
        try:
            code = self.stop()
        finally:
            self.cleanup()
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
        # None: it never started (setup failed first, and that failure is the one to read).
        assert code in (0, None), f"djtv-server exit code {code}"

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=self.ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    def request(self, method, path, token=None, body=None, headers=None):
        """One HTTPS request pinned to the test CA; returns (status, parsed JSON or text)."""
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        for attempt in (1, 2):
            try:
                with urllib.request.urlopen(req, context=self.ssl_context(), timeout=10) as r:
                    status, raw = r.status, r.read()
                break
            except urllib.error.HTTPError as e:
                status, raw = e.code, e.read()
                break
            except urllib.error.URLError as e:
                if isinstance(e.reason, ConnectionRefusedError):
                    raise  # nothing listens (a server starting or stopped): not a lost request
                # urllib raises URLError only while connecting or SENDING the request (a failure
                # while reading the answer is raised as is), so the server never saw a whole
                # request: sending it again cannot do anything twice. Seen once under ASan in CI
                # (SSLEOFError on the body); say so loudly, with the server's last words.
                tail = self.log_text()[-1500:]
                msg = f"{method} {path}: connection lost while sending ({e.reason})"
                if attempt == 2:
                    raise ConnectionError(f"{msg}, twice; server log ends:\n{tail}") from e
                print(f"harness: {msg}; sending it once more; server log ends:\n{tail}",
                      file=sys.stderr, flush=True)
                time.sleep(0.2)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def get(self, path, token=None):
        return self.request("GET", path, token)

    def login(self, username, password=None):
        """POST /api/v1/sessions for a demo account; returns (status, body)."""
        if password is None:
            password = self.accounts[username]["password"]
        return self.request("POST", "/api/v1/sessions",
                            body={"username": username, "password": password})

    def token_of(self, username):
        """A session token of a demo account (asserts the login works)."""
        status, body = self.login(username)
        assert status == 200, (username, status, body)
        return body["token"]

    def cadre_of(self, village):
        """The demo account name of VILLAGE's cadre."""
        for name, row in self.accounts.items():
            if row["role"] == "cadre" and row["org_name"] == village:
                return name
        raise KeyError(village)

    def oversize(self, method, path, token=None, size=70 * 1024):
        """A body over the 64 KiB limit, both ways one arrives: announced by Content-Length
        (the server answers before the body, so none is sent: no race with its close), and
        chunked (read and dropped, answered at the end). [(status, JSON), (status, JSON)]."""
        import http.client
        out = []
        for chunked in (False, True):
            conn = http.client.HTTPSConnection("127.0.0.1", self.port,
                                               context=self.ssl_context(), timeout=10)
            try:
                headers = {"Content-Type": "application/json"}
                if token:
                    headers["Authorization"] = f"Bearer {token}"
                if chunked:
                    chunks = iter([b" " * 8192] * (size // 8192 + 1))
                    conn.request(method, path, body=chunks, headers=headers, encode_chunked=True)
                else:
                    conn.putrequest(method, path)
                    for k, v in headers.items():
                        conn.putheader(k, v)
                    conn.putheader("Content-Length", str(size))
                    conn.endheaders()
                r = conn.getresponse()
                out.append((r.status, json.loads(r.read())))
            finally:
                conn.close()
        return out

    def sql(self, statement, args=()):
        """Run one SQL statement on the server's database beside it (WAL allows it); the rows.
        For tests that must reach past the API: an expired session, an old heartbeat."""
        import sqlite3
        db = sqlite3.connect(self.db, timeout=10)
        try:
            rows = db.execute(statement, args).fetchall()
            db.commit()
            return rows
        finally:
            db.close()

    def box_of(self, village, index=0):
        """The token of the INDEX-th demo box of VILLAGE."""
        return [b for b in self.boxes if b["village_name"] == village][index]["token"]

    def members(self, token):
        """The member ids of a box's household, from GET /api/v1/home."""
        status, home = self.get("/api/v1/home", token)
        assert status == 200, home
        return [m["id"] for m in home["household"]["members"]]

    def add_township(self, name, villages=(), accounts=()):
        """A second township NAME with VILLAGES, beside the demo's (reaching past the API: no
        route makes orgs), and ACCOUNTS [(username, display name, role, org name)] whose
        password is staff1's. {username: session token}."""
        self.sql("INSERT INTO orgs (kind, name) VALUES ('township', ?)", (name,))
        for v in villages:
            self.sql("INSERT INTO orgs (parent_id, kind, name)"
                     " SELECT id, 'village', ? FROM orgs WHERE name = ?", (v, name))
        for user, display, role, org in accounts:
            self.sql("INSERT INTO accounts (username, display_name, role, org_id, password_hash,"
                     " created_at) SELECT ?, ?, ?, o.id, a.password_hash, a.created_at"
                     " FROM orgs o, accounts a WHERE o.name = ? AND a.username = 'staff1'",
                     (user, display, role, org))
        password = self.accounts["staff1"]["password"]
        return {user: self.login(user, password)[1]["token"] for user, _, _, _ in accounts}

    async def open_stream(self, token):
        """GET /api/v1/events as TOKEN, once the server's first frame (its retry) is in."""
        import sseclient
        status, s = await sseclient.Stream.open("127.0.0.1", self.port,
                                                sseclient.client_context(self.ca), token)
        assert status == 200, s
        assert await s.wait_for(lambda e: e.retry is not None, 10)
        return s


def staff_session(server):
    """Who the staff-route tests act as, on SERVER's demo township 南湖镇: `staff` and `staff2`
    (session tokens of staff1, staff2), `cadre` (东村's cadre), `box` and `box_xi` (a box of 东村
    and of 西村), `dong_id` (东村's org id), and `north_staff`: staff of a second township 北山镇
    (village 北山村) made here, for the other-township refusals."""
    import types
    return types.SimpleNamespace(
        staff=server.token_of("staff1"),
        staff2=server.token_of("staff2"),
        cadre=server.token_of(server.cadre_of("东村")),
        box=server.box_of("东村"),
        box_xi=server.box_of("西村"),
        dong_id=server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0],
        north_staff=server.add_township("北山镇", ["北山村"], [
            ("bs-staff", "北山镇党建办", "staff", "北山镇")])["bs-staff"],
    )


class ClientRun:
    """The result of one headless client run: exit code, log, and the UI dump steps."""

    def __init__(self, code, log, steps, shots):
        self.code = code
        self.log = log
        self.steps = steps
        self.shots = shots

    def last(self):
        assert self.steps, "the client wrote no UI dump steps; log:\n" + self.log[-3000:]
        return self.steps[-1]

    def step(self, index):
        assert len(self.steps) > index, f"only {len(self.steps)} dump steps; log:\n{self.log[-3000:]}"
        return self.steps[index]


def prepare_client(name, server_url, ca, token, keys, extra=()):
    """A fresh tests/out/NAME holding the key script and the token file, and the headless
    client's command line that writes its screenshots and UI dump there:
    (folder, command, dump path, screenshot folder)."""
    d = out_dir(name)
    keys_path = os.path.join(d, "script.keys")
    with open(keys_path, "w", encoding="utf-8") as f:
        f.write("\n".join(keys) + "\n")
    token_path = os.path.join(d, "token")
    with open(token_path, "w", encoding="utf-8") as f:
        f.write(token or "")
    os.chmod(token_path, 0o600)
    dump = os.path.join(d, "ui.jsonl")
    shots = os.path.join(d, "shots")
    cmd = [os.path.join(BUILD, "djtv"), "--headless", "--server", server_url, "--ca", ca,
           "--token-file", token_path, "--font", FONT, "--keys", keys_path,
           "--screenshot-dir", shots, "--dump-ui", dump, "--log-level", "debug",
           # "谁在看？" only where a test asks for it (--ask-viewers in extra wins)
           "--ask-viewers=no", *extra]
    return d, cmd, dump, shots


def client_env(extra=None):
    """This process's environment with EXTRA, and SDL's software renderer and dummy audio
    unless the caller chose others."""
    env = dict(os.environ, **(extra or {}))
    env.setdefault("SDL_RENDER_DRIVER", "software")
    env.setdefault("SDL_AUDIODRIVER", "dummy")
    return env


def under_valgrind(cmd):
    """CMD under valgrind memcheck when DJTV_VALGRIND=1 (a definite leak or an error fails
    it with exit code 97), else CMD unchanged."""
    if not VALGRIND:
        return cmd
    return ["valgrind", "-q", "--error-exitcode=97", "--leak-check=full",
            "--errors-for-leak-kinds=definite",
            f"--suppressions={os.path.join(TOP, 'tests', 'valgrind.supp')}"] + cmd


def run_client(name, server_url, ca, token, keys, timeout=90, extra=()):
    """Run build/djtv headless with a key script; screenshots and dump go to tests/out/NAME."""
    d, cmd, dump, shots = prepare_client(name, server_url, ca, token, keys, extra)
    return run_djtv(cmd, d, dump, shots, client_env(), timeout)


def run_djtv(cmd, d, dump, shots, env, timeout, wrap=()):
    """Run a djtv command line, its output into D/client.log (under valgrind when
    DJTV_VALGRIND=1; WRAP goes in front, e.g. a network namespace). Returns a ClientRun."""
    if VALGRIND:
        timeout *= 6
    cmd = [*wrap, *under_valgrind(cmd)]
    with open(os.path.join(d, "client.log"), "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            code = "timeout"
    return ClientRun(code, read_log(os.path.join(d, "client.log")), read_dump(dump), shots)


def read_log(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def read_dump(path):
    """The UI dump's steps written so far (a line still being written is left out)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.endswith("\n") and line.strip()]


STUDY_PER_PAGE = 4  # 党教园地: one row of four posters under its category buttons


def study_poster_key(row):
    """The one key step that takes 党教园地's focus from its first poster (全部, page 1) to
    poster ROW of the same page: RIGHT along the row of four. A poster on a later page needs
    page turns (more steps), so callers keep ROW on page 1."""
    assert 0 <= row < STUDY_PER_PAGE, f"item {row} is not on 党教园地's first page of four"
    return f"RIGHT {row}" if row else "wait 10"


def texts(step):
    return [t["text"] for t in step.get("texts", [])]


def find_text(step, needle):
    """The first visible text containing needle, or None."""
    for t in step.get("texts", []):
        if needle in t["text"]:
            return t
    return None


def _luminance(hex_colour):
    c = hex_colour.lstrip("#")
    rgb = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg, bg):
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def ffmpeg(*args):
    """The ffmpeg CLI, quiet, for test media; raises when it fails."""
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, timeout=120)


def _test_pattern(seconds, gop):
    """ffmpeg arguments for SECONDS of a 320x240 test picture and a 440 Hz tone, encoded as
    H.264 (keyframe every GOP frames at 25 fps) and stereo AAC."""
    return ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(gop),
            "-keyint_min", str(gop), "-sc_threshold", "0", "-c:a", "aac", "-ac", "2"]


def make_lesson(path, seconds, gop=50):
    """A 320x240 H.264/AAC MP4 test lesson (keyframe every GOP frames at 25 fps)."""
    ffmpeg(*_test_pattern(seconds, gop), path)


def make_hls(directory, seconds):
    """The same test picture as a VOD HLS stream of 2 s MPEG-TS segments in DIRECTORY
    (made if missing): index.m3u8 and seg000.ts, seg001.ts, ..."""
    os.makedirs(directory, exist_ok=True)
    ffmpeg(*_test_pattern(seconds, 50), "-b:a", "64k", "-f", "hls", "-hls_time", "2",
           "-hls_playlist_type", "vod", "-hls_segment_type", "mpegts",
           "-hls_segment_filename", os.path.join(directory, "seg%03d.ts"),
           os.path.join(directory, "index.m3u8"))


def import_content(server, work, items):
    """A test module's township content: ITEMS as WORK/content/items.json (beside any files the
    caller made under WORK/content), imported into SERVER's database with `djtv-server import`,
    the media under WORK/media. Returns the media folder, for the server's `--media`."""
    src = os.path.join(work, "content")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "items.json"), "w", encoding="utf-8") as f:
        json.dump({"items": items}, f, ensure_ascii=False)
    media = os.path.join(work, "media")
    done = run_import(server.db, src, media)
    assert done.returncode == 0, done.stderr
    return media


def run_import(db, directory, media):
    """`djtv-server import DIRECTORY` into DB with media under MEDIA; the CompletedProcess."""
    return subprocess.run([os.path.join(BUILD, "djtv-server"), "import", directory,
                           "--db", db, "--media", media],
                          capture_output=True, text=True, timeout=300)
