"""The benchmark's server and data: djtv-server on a fresh demo database (127.0.0.1, the bench's
own certificate) grown by a bench fleet (BENCH_HOUSEHOLDS households, one box each, many
members, written with sqlite3 before the server starts), and a plan of check-ins that are all
new, made ready through the real API: township staff start a broadcast and open a roll call
on it, every bench box sends its heartbeat (replayed with wrk: it must be under a minute old),
and the plan lists (box, member) pairs of that roll call once, households interleaved."""
import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
import djtvflow  # noqa: E402  (tests/integration/djtvflow.py)
from tools import free_port, run_wrk  # noqa: E402


# A large township: 1,000 more households of 4 members, each with its box (Nanhu has thousands
# of members). A roll call then expects about 4,300 members, as a real one of such a township.
BENCH_HOUSEHOLDS = 1000
BENCH_MEMBERS = 4


def grow(db_path, households, members_each):
    """Add the bench fleet; returns [(token, [member ids])]."""
    db = sqlite3.connect(db_path)
    villages = [r[0] for r in db.execute("SELECT id FROM orgs WHERE kind = 'village' ORDER BY id")]
    fleet = []
    with db:
        for h in range(households):
            cur = db.execute("INSERT INTO households (village_id, name) VALUES (?, ?)",
                             (villages[h % len(villages)], f"压测户{h + 1}"))
            hid = cur.lastrowid
            first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM members").fetchone()[0]
            db.executemany("INSERT INTO members (id, household_id, name, birth_year)"
                           " VALUES (?, ?, ?, 1960)",
                           [(first + m, hid, f"党员{h + 1}-{m + 1}")
                            for m in range(members_each)])
            token = secrets.token_hex(32)
            digest = hashlib.sha256(bytes.fromhex(token)).hexdigest()
            db.execute("INSERT INTO boxes (household_id, token_hash, label) VALUES (?, ?, ?)",
                       (hid, digest, "压测盒子"))
            fleet.append((token, list(range(first, first + members_each))))
    db.close()
    return fleet


class BenchServer:
    def __init__(self, build, work):
        self.build = build
        self.dir = work
        self.db = os.path.join(work, "djtv.db")
        subprocess.run([os.path.join(TOP, "toolchain", "make-certs.sh"), work], check=True)
        self.ca = os.path.join(work, "ca.pem")
        subprocess.run([os.path.join(build, "djtv-server"), "demo", "--db", self.db,
                        "--assets", os.path.join(TOP, "assets"),
                        "--boxes-out", os.path.join(work, "boxes.tsv")],
                       check=True, capture_output=True, timeout=120)
        self.boxes = []
        with open(os.path.join(work, "boxes.tsv"), encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            for line in f:
                self.boxes.append(dict(zip(header, line.rstrip("\n").split("\t"))))
        self.fleet = grow(self.db, BENCH_HOUSEHOLDS, BENCH_MEMBERS)
        self.proc = None
        self.port = None
        self.env = {}
        self.client = None
        self.staff = None
        self.event_broadcast = None

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    def start(self, env=None):
        self.env = dict(env or {})
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        cmd = [os.path.join(self.build, "djtv-server"), "--listen", "127.0.0.1",
               "--port", str(self.port), "--cert", os.path.join(self.dir, "server.crt"),
               "--key", os.path.join(self.dir, "server.key"), "--db", self.db,
               "--assets", os.path.join(TOP, "assets"), "--log-level", "warn",
               "--rate-limit", "1000000", "--streams-per-token", "0"]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, **self.env))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"djtv-server exited with {self.proc.returncode}")
            try:
                self.client = djtvflow.Client(self.port, self.ca)
                status, _ = self.client.call("GET", "/health")
                if status == 200:
                    self.staff = djtvflow.login(self.client, self.dir, "staff1")
                    self.cadres = [djtvflow.login(self.client, self.dir, u)
                                   for u, (role, _, _) in djtvflow.accounts(self.dir).items()
                                   if role == "cadre"]
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("djtv-server did not start")

    def stop(self):
        if self.client:
            self.client.close()
            self.client = None
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
        self.proc = None

    def restart(self, env):
        self.stop()
        return self.start(env)

    def threads(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/task"))

    # ---- events ----

    def tokens_for_events(self):
        return [b["token"] for b in self.boxes]

    def open_rollcall(self):
        """Open a township roll call: (time the request was sent, its id, time of the reply)."""
        if self.event_broadcast is None:
            self.event_broadcast = djtvflow.live_broadcasts(self.client, self.staff, 1,
                                                            "事件延迟测试")[0]
        t0 = time.monotonic()
        rid = djtvflow.open_rollcall(self.client, self.staff, self.event_broadcast)
        return t0, rid, time.monotonic()

    def close_rollcall(self, rid):
        djtvflow.close_rollcall(self.client, self.staff, rid)


class CheckinPlan:
    def __init__(self, server, requests_file, rollcalls, reply_body):
        self.server = server
        self.requests_file = requests_file
        self.rollcalls = rollcalls
        self.reply_body = reply_body

    def verify(self, wrk_result):
        """New check-in rows of this plan's roll calls (read from the file, WAL included)."""
        db = sqlite3.connect(f"file:{self.server.db}?mode=ro", uri=True)
        marks = ",".join("?" * len(self.rollcalls))
        rows = db.execute(f"SELECT count(*) FROM checkins WHERE rollcall_id IN ({marks})",
                          self.rollcalls).fetchone()[0]
        db.close()
        return {"rows": rows, "acked": wrk_result["requests"] - wrk_result["non2xx"]}


def _write_requests(path, lines):
    """The file requests.lua replays: METHOD, PATH, TOKEN, JSON body, tab-separated."""
    with open(path, "w", encoding="utf-8") as f:
        for method, p, token, body in lines:
            f.write(f"{method}\t{p}\t{token}\t{json.dumps(body) if body is not None else ''}\n")


def send_heartbeats(server, broadcasts):
    """Every bench box says it is playing each of BROADCASTS: wrk replays the list (a repeat
    only moves a heartbeat forward) until every line went at least once."""
    path = os.path.join(server.dir, "heartbeats.tsv")
    lines = [("POST", f"/api/v1/broadcasts/{b}/heartbeat", t, None)
             for t, _ in server.fleet for b in broadcasts]
    _write_requests(path, lines)
    secs = 2
    while True:
        res = run_wrk(server.url + "/", secs, 20, [server.proc.pid],
                      script=os.path.join(HERE, "requests.lua"),
                      env={"DJTV_BENCH_REQUESTS": path}, quiet=False)
        if res["non2xx"]:
            raise RuntimeError(f"heartbeats: {res['non2xx']} failed")
        if res["requests"] >= len(lines) + 100:
            return
        secs *= 2


def prepare_checkins(server, need):
    """Roll calls for NEED new check-ins of the bench fleet, heartbeats sent last (they must be
    under a minute old when the storm comes). Each broadcast gets the township's roll call
    (staff) and one per village (its cadre): a member can sign in at each."""
    c = server.client
    per_broadcast = 2 * BENCH_HOUSEHOLDS * BENCH_MEMBERS
    n_broadcasts = -(-need // per_broadcast)
    broadcasts = djtvflow.live_broadcasts(c, server.staff, n_broadcasts, "签到压测")
    rollcalls = []   # (rollcall id, village id or None)
    village_of = {}  # cadre token -> village id, learnt from the roll calls they open
    for b in broadcasts:
        rollcalls.append((djtvflow.open_rollcall(c, server.staff, b), None))
        for cadre in server.cadres:
            status, r = c.call("POST", f"/api/v1/broadcasts/{b}/rollcalls", cadre)
            assert status == 200, (status, r)
            rollcalls.append((r["id"], r["org_id"]))
    # Which village each fleet box is in (the boxes were spread over the villages in order).
    db = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    villages = [r[0] for r in db.execute("SELECT id FROM orgs WHERE kind = 'village' ORDER BY id")]
    db.close()
    fleet = [(t, ms, villages[h % len(villages)]) for h, (t, ms) in enumerate(server.fleet)]
    plan = []
    for rid, village in rollcalls:
        for k in range(BENCH_MEMBERS):
            for token, ms, v in fleet:  # households interleaved
                if village is None or village == v:
                    plan.append(("POST", f"/api/v1/rollcalls/{rid}/checkins", token,
                                 {"member_id": ms[k]}))
    plan = plan[:need]
    path = os.path.join(server.dir, "checkins.tsv")
    _write_requests(path, plan[1:])
    send_heartbeats(server, broadcasts)
    # The reply of one real check-in, for nginx's file of the same size.
    method, p, token, body = plan[0]
    c.conn.request(method, p, body=json.dumps(body).encode(),
                   headers={"Authorization": f"Bearer {token}",
                            "Content-Type": "application/json"})
    r = c.conn.getresponse()
    reply = r.read()
    assert r.status == 200, (r.status, reply)
    return CheckinPlan(server, path, [rid for rid, _ in rollcalls], reply)
