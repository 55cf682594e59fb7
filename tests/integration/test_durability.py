"""Crash test: a storm of check-ins over HTTPS from several client processes (real TLS,
keep-alive), `kill -9` of the server in the middle of it, a restart, and every check-in that
got a 2xx is in the database (read with Python's sqlite3 from the file), with its credit.

The storm uses the real route, POST /api/v1/rollcalls/{id}/checkins: township staff start
broadcasts and open a roll call on each; every box sends its heartbeats, then signs in its
household's members at every roll call."""
import multiprocessing
import os
import signal
import sqlite3
import time

import djtvflow
from harness import Server

WORKERS = 6
BROADCASTS = 20
server = None


def setup_module():
    global server
    # No per-token rate limit: one box signs in its whole household at a dozen roll calls.
    server = Server("durability")
    server.start(extra=("--rate-limit", "1000000", "--log-level", "info"))


def teardown_module():
    server.cleanup()


def storm_worker(port, ca, tasks, broadcasts, ack_path):
    """Heartbeats for this worker's boxes, then its check-ins; each 200 goes to ACK_PATH
    (one line, written unbuffered) before the next request. Stops at the first failure."""
    fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    client = djtvflow.Client(port, ca, timeout=5)
    try:
        for token in sorted({t for t, _, _ in tasks}):
            for b in broadcasts:
                djtvflow.heartbeat(client, token, b)
        os.write(fd, b"ready\n")
        for token, rollcall, member in tasks:
            status, body = client.call("POST", f"/api/v1/rollcalls/{rollcall}/checkins", token,
                                       {"member_id": member})
            if status != 200:
                os.write(fd, f"status {status} {body}\n".encode())
                break
            os.write(fd, f"{rollcall}\t{member}\n".encode())
    except Exception as e:  # the server was killed under us: expected
        os.write(fd, f"stopped {type(e).__name__}\n".encode())
    finally:
        os.close(fd)


def read_acks(paths):
    acked, ready, other = set(), 0, []
    for p in paths:
        if not os.path.exists(p):
            continue
        with open(p) as f:
            for line in f:
                line = line.rstrip("\n")
                if line == "ready":
                    ready += 1
                elif "\t" in line:
                    r, m = line.split("\t")
                    acked.add((int(r), int(m)))
                else:
                    other.append(line)
    return acked, ready, other


def test_every_acknowledged_checkin_survives_kill_9():
    start = time.monotonic()
    c = djtvflow.Client(server.port, server.ca)
    staff = djtvflow.login(c, server.dir, "staff1")
    broadcasts = djtvflow.live_broadcasts(c, staff, BROADCASTS)
    rollcalls = [djtvflow.open_rollcall(c, staff, b) for b in broadcasts]
    boxes = [(b["token"], djtvflow.household_members(c, b["token"])) for b in server.boxes]
    c.close()

    # Each box belongs to one worker; its tasks go round the roll calls so that the kill
    # lands in the middle of all of them.
    per_worker = [[] for _ in range(WORKERS)]
    for i, (token, members) in enumerate(boxes):
        for r in rollcalls:
            for m in members:
                per_worker[i % WORKERS].append((token, r, m))
    total = sum(len(t) for t in per_worker)
    assert total > 2000, f"only {total} check-ins to storm with"

    ctx = multiprocessing.get_context("fork")
    paths = [os.path.join(server.dir, f"acks-{i}.txt") for i in range(WORKERS)]
    procs = [ctx.Process(target=storm_worker,
                         args=(server.port, server.ca, per_worker[i], broadcasts, paths[i]))
             for i in range(WORKERS)]
    for p in procs:
        p.start()
    try:
        # Kill when about a third of the storm has been acknowledged.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            acked, ready, other = read_acks(paths)
            assert not other or all(o.startswith("stopped") for o in other), other
            if ready == WORKERS and len(acked) >= total // 3:
                break
            time.sleep(0.01)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
        killed_at = len(read_acks(paths)[0])
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
                p.join()
    server.log.close()
    server.proc = None
    acked, ready, other = read_acks(paths)
    assert ready == WORKERS, f"only {ready} workers got their heartbeats in: {other}"
    assert len(acked) >= total // 3 and killed_at >= total // 3, (len(acked), total)
    assert len(acked) < total, "the storm ended before the kill: nothing was tested"
    bad = [o for o in other if not o.startswith("stopped")]
    assert not bad, bad

    # Restart on the same file: SQLite recovers the WAL; the server must come up healthy.
    server.start(extra=("--rate-limit", "1000000", "--log-level", "info"))
    status, health = server.get("/health")
    assert status == 200 and health["db"] == "ok", health
    assert server.stop() == 0

    db = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
    rows = set(db.execute("SELECT rollcall_id, member_id FROM checkins"))
    credits = set(db.execute("SELECT ref_id, member_id FROM credits"
                             " WHERE reason = 'meeting_attended'"))
    db.close()
    lost = acked - rows
    assert not lost, f"{len(lost)} acknowledged check-ins lost, e.g. {sorted(lost)[:5]}"
    no_credit = acked - credits
    assert not no_credit, f"{len(no_credit)} acknowledged check-ins without their credit"
    print(f"    {len(acked)} acknowledged of {total}, {len(rows)} in the database, "
          f"{time.monotonic() - start:.1f}s")
