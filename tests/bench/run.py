#!/usr/bin/env python3
"""`make bench`: the Backend benchmark, side by side with a peer, in one run on this machine.

  tests/bench/run.py --build build [--seconds 10] [--conns 50] [--rounds 3] [--durability]

1. A check-in storm over HTTPS with keep-alive (wrk + tests/bench/requests.lua) against
   djtv-server: every request is a new check-in through the real route (auth, the roll-call
   rules, the write and its credit), committed durably before the answer (WAL,
   synchronous=FULL, group commit). See benchdata.py for the data.
2. The same wrk against nginx serving a static file of the same response size over TLS (same
   certificate, its own config in a temporary folder, 127.0.0.1 only). 1 and 2 alternate for
   --rounds rounds; the median of each is reported.
3. Event delivery (first, on the fresh database): 1,000 open event streams of the demo boxes;
   township staff open a roll call; the time from sending that request until each stream has
   the rollcall.opened event (p50/p99 over --event-rounds roll calls).
With --durability, the storm also runs with one commit per request and with
synchronous=NORMAL, for server/DURABILITY.md.

Method (tests/bench/METHOD.md): wrk shares the 2 cores with the server; before each run
the bench waits (up to 30 s) for the machine to be quiet, and it reports the CPU that other
processes used during every run, so a disturbed figure can be recognised. Figures:
`BENCH <figure> <value> <unit>`."""
import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
import benchdata  # noqa: E402
import sseclient  # noqa: E402  (tests/integration/sseclient.py)
from tools import Nginx, describe, log, per_core, run_wrk, wait_quiet  # noqa: E402


def figure(name, value, unit):
    print(f"BENCH {name} {value} {unit}", flush=True)


# ---- the benchmark ----

def install_tools():
    subprocess.run([os.path.join(TOP, "toolchain", "install-deps.sh"),
                    os.path.join(TOP, "toolchain", "bench-packages.txt")], check=True)


def storm_size(seconds):
    """More check-ins than this machine can answer in SECONDS: no request is a repeat."""
    return int(seconds * 25000) + 10000


def checkin_storm(server, seconds, conns, label):
    """Prepare fresh check-ins and storm them; returns wrk's figures and the plan. The quiet
    wait comes before the setup: the heartbeats it sends last must be under a minute old."""
    busy = wait_quiet()
    plan = benchdata.prepare_checkins(server, storm_size(seconds))
    res = run_wrk(server.url + "/", seconds, conns, [server.proc.pid],
                  script=os.path.join(HERE, "requests.lua"),
                  env={"DJTV_BENCH_REQUESTS": plan.requests_file}, quiet=False)
    res["busy_before"] = busy
    describe(label, res)
    ok = plan.verify(res)
    res["rows"] = ok["rows"]
    log(f"{label}: {ok['rows']} new check-ins in the database for {ok['acked']} "
        f"acknowledged{' (REPEATS: the plan was too short)' if ok['rows'] < ok['acked'] else ''}")
    return res, plan


def median_run(runs):
    """The run with the median req/s."""
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


async def event_rounds(server, streams_n, rounds):
    streams = await sseclient.open_many("127.0.0.1", server.port, server.ca,
                                        server.tokens_for_events(), streams_n)
    lat, replies = [], []
    missing = 0
    loop = asyncio.get_running_loop()
    for _ in range(rounds):
        t0, rollcall_id, t_reply = await loop.run_in_executor(None, server.open_rollcall)
        replies.append((t_reply - t0) * 1000)
        got = await sseclient.await_event(
            streams, lambda e, rid=rollcall_id: e.type == "rollcall.opened"
            and json.loads(e.data).get("rollcall_id") == rid, 30)
        missing += sum(1 for g in got if g is None)
        lat += [(g.t - t0) * 1000 for g in got if g is not None]
        await loop.run_in_executor(None, server.close_rollcall, rollcall_id)
    for s in streams:
        s.close()
    return lat, missing, replies


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    ap.add_argument("--conns", type=int, default=50, help="wrk connections")
    ap.add_argument("--rounds", type=int, default=3,
                    help="djtv and nginx runs, alternating; the medians are reported")
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--event-rounds", type=int, default=5)
    ap.add_argument("--durability", action="store_true",
                    help="also measure one commit per request and synchronous=NORMAL")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    install_tools()
    sseclient.raise_nofile(args.streams * 2 + 256)
    work = tempfile.mkdtemp(prefix="djtv-bench-")
    server = nginx = None
    try:
        server = benchdata.BenchServer(build, work).start()
        # Events first, on the fresh database (the storms leave hundreds of roll calls open).
        lat, missing, replies = asyncio.run(event_rounds(server, args.streams,
                                                         args.event_rounds))
        log(f"events: {len(lat)} deliveries to {args.streams} streams over "
            f"{args.event_rounds} roll calls, {missing} missing, server threads "
            f"{server.threads()}; the roll call's own reply took "
            f"{', '.join(f'{r:.0f}' for r in replies)} ms")
        djtv, peers = [], []
        for i in range(args.rounds):
            storm, plan = checkin_storm(server, args.seconds, args.conns,
                                        f"[{i + 1}] djtv check-ins")
            djtv.append(storm)
            if nginx is None:
                nginx = Nginx(work, plan.reply_body).start()
            peer = run_wrk(f"https://127.0.0.1:{nginx.port}/checkin.json", args.seconds,
                           args.conns, nginx.pids())
            describe(f"[{i + 1}] nginx static {len(plan.reply_body)} B", peer)
            peers.append(peer)
        nginx.stop()
        nginx = None


        extra = []
        if args.durability:
            for key, label, env in (
                    ("batch1", "one commit per request", {"DJTV_BENCH_BATCH_MAX": "1"}),
                    ("normal", "synchronous=NORMAL", {"DJTV_BENCH_SYNCHRONOUS": "NORMAL"}),
                    ("full", "group commit, FULL (again)", {})):
                server.restart(env)
                r, _ = checkin_storm(server, args.seconds, args.conns, f"djtv {label}")
                extra.append((key, r))

        storm, peer = median_run(djtv), median_run(peers)
        figure("checkin.rps.djtv", f"{storm['rps']:.0f}", "req/s")
        figure("checkin.rps.nginx", f"{peer['rps']:.0f}", "req/s")
        figure("checkin.ratio", f"{storm['rps'] / peer['rps']:.2f}", "x")
        figure("checkin.p50_ms", f"{storm['p50']:.2f}", "ms")
        figure("checkin.p99_ms", f"{storm['p99']:.2f}", "ms")
        figure("checkin.nginx_p50_ms", f"{peer['p50']:.2f}", "ms")
        figure("checkin.nginx_p99_ms", f"{peer['p99']:.2f}", "ms")
        figure("checkin.per_core.djtv", f"{per_core(storm):.0f}", "req/s/core")
        figure("checkin.per_core.nginx", f"{per_core(peer):.0f}", "req/s/core")
        figure("events.p50_ms", f"{sseclient.percentile(lat, 50):.1f}", "ms")
        figure("events.p99_ms", f"{sseclient.percentile(lat, 99):.1f}", "ms")
        figure("events.missing", missing, "deliveries")
        for key, r in extra:
            figure(f"checkin.rps.djtv_{key}", f"{r['rps']:.0f}", "req/s")
            figure(f"checkin.p99_ms.djtv_{key}", f"{r['p99']:.2f}", "ms")
            figure(f"checkin.per_core.djtv_{key}", f"{per_core(r):.0f}", "req/s/core")
        all_runs = djtv + peers + [r for _, r in extra]
        figure("other_cpu.max", f"{max(r['other_cpu'] for r in all_runs):.0f}", "%")
        figure("steal.max", f"{max(r['steal'] for r in all_runs):.0f}", "%")
        bad = sum(r["non2xx"] for r in djtv) + missing
        return 0 if bad == 0 else 1
    finally:
        if nginx:
            nginx.stop()
        if server:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
