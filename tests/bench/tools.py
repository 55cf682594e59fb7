"""The benchmark's tools: CPU accounting (ours versus other processes), waiting for a quiet
machine, the wrk driver and its output parser, and nginx as the static-file peer (its own config
in a temporary folder, 127.0.0.1 only, the bench's certificate)."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- CPU accounting: ours versus everybody else's ----

def _cpu_total():
    """(busy, total, steal) jiffies of the whole machine; busy leaves out idle, iowait and the
    time the hypervisor stole."""
    with open("/proc/stat") as f:
        p = [int(x) for x in f.readline().split()[1:]]
    return p[0] + p[1] + p[2] + p[5] + p[6], sum(p[:8]), p[7]


def _proc_jiffies(pid):
    """utime + stime of PID (not its children)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


class CpuWindow:
    """CPU used between start() and stop(), in % of one core (200 = both cores): by the server
    PIDS, by our reaped children (wrk), by this process, and by every other process."""

    def __init__(self, pids):
        self.pids = list(pids)

    def start(self):
        self.w0 = time.monotonic()
        self.t0 = _cpu_total()
        self.p0 = {p: _proc_jiffies(p) for p in self.pids}
        self.os0 = os.times()
        return self

    def stop(self):
        hz = os.sysconf("SC_CLK_TCK")
        wall = max(1e-3, time.monotonic() - self.w0)
        busy1, _, steal1 = _cpu_total()
        pct = lambda secs: secs / wall * 100  # noqa: E731
        self.ours = {p: pct((_proc_jiffies(p) - self.p0[p]) / hz) for p in self.pids}
        t1 = os.times()
        self.children = pct(t1.children_user + t1.children_system
                            - self.os0.children_user - self.os0.children_system)
        me = pct(t1.user + t1.system - self.os0.user - self.os0.system)
        everyone = pct((busy1 - self.t0[0]) / hz)
        self.other = max(0.0, everyone - sum(self.ours.values()) - self.children - me)
        self.steal = pct((steal1 - self.t0[2]) / hz)
        return self


def wait_quiet(limit_pct=15, max_wait=30):
    """Wait until the machine is below LIMIT_PCT busy (of all cores), at most MAX_WAIT s.
    Returns the busy % last seen."""
    deadline = time.monotonic() + max_wait
    while True:
        b0, t0, _ = _cpu_total()
        time.sleep(1)
        b1, t1, _ = _cpu_total()
        busy = (b1 - b0) / max(1, t1 - t0) * 100
        if busy < limit_pct or time.monotonic() > deadline:
            return busy


# ---- wrk ----

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(text):
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else 0.0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        out[f"p{pct}"] = float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")
    m = re.search(r"(\d+) requests in", text)
    out["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else ""
    return out


def run_wrk(url, seconds, conns, server_pids, script=None, env=None, threads=2, quiet=True):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    busy = wait_quiet() if quiet else float("nan")
    full_env = dict(os.environ, DJTV_BENCH_THREADS=str(threads), **(env or {}))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=full_env)
    win = CpuWindow(server_pids).start()
    out, _ = proc.communicate(timeout=seconds + 120)
    win.stop()
    res = parse_wrk(out)
    res["srv_cpu"] = sum(win.ours.values())
    res["wrk_cpu"] = win.children
    res["other_cpu"] = win.other
    res["steal"] = win.steal
    res["busy_before"] = busy
    res["raw"] = out
    if proc.returncode != 0 or res["requests"] == 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{out}")
    return res


def per_core(r):
    """Requests per second of server CPU: steadier than req/s when others share the cores."""
    return r["rps"] / max(1e-6, r["srv_cpu"] / 100)


def describe(name, r):
    log(f"{name}: {r['rps']:.0f} req/s ({per_core(r):.0f} per server core), "
        f"p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, "
        f"{r['requests']} requests, non-2xx {r['non2xx']}, server CPU {r['srv_cpu']:.0f}%, "
        f"wrk CPU {r['wrk_cpu']:.0f}%, other processes {r['other_cpu']:.0f}%, "
        f"steal {r['steal']:.0f}% "
        f"(machine {r['busy_before']:.0f}% busy before)"
        f"{' socket errors: ' + r['socket_errors'] if r['socket_errors'] else ''}")


# ---- nginx, the peer ----

NGINX_CONF = """
worker_processes 2;
worker_rlimit_nofile 16384;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 4096; use epoll; }}
http {{
    default_type application/json;
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 100000;
    open_file_cache max=1000 inactive=60s;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate     {dir}/server.crt;
        ssl_certificate_key {dir}/server.key;
        root {dir}/www;
    }}
}}
"""


class Nginx:
    def __init__(self, workdir, body):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "www"), exist_ok=True)
        for f in ("server.crt", "server.key"):
            shutil.copy(os.path.join(workdir, f), os.path.join(self.dir, f))
        with open(os.path.join(self.dir, "www", "checkin.json"), "wb") as f:
            f.write(body)
        # Workers (nobody) read the static file; the master reads the key before it drops root.
        for d in (workdir, self.dir, os.path.join(self.dir, "www")):
            os.chmod(d, 0o755)
        os.chmod(os.path.join(self.dir, "www", "checkin.json"), 0o644)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, port=self.port))
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["nginx", "-c", self.conf, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self.proc.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen")

    def pids(self):
        """The master and its workers."""
        kids = []
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            pass
        return [self.proc.pid] + kids

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
