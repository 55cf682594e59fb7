"""Helpers for the live-broadcast tests and benchmarks: start a broadcast as its cadre, run
djtv-cast (the real publisher) against it, play it with the real headless client, and a TCP
proxy in front of the server whose uplink a test can cut and restore."""
import json
import os
import re
import select
import socket
import subprocess
import threading
import time

import harness

CAST = os.path.join(harness.BUILD, "djtv-cast")


def start_broadcast(server, cadre_token, title):
    """A new broadcast of the cadre's branch, started: (broadcast JSON, publishing key)."""
    status, b = server.request("POST", "/api/v1/broadcasts", cadre_token, {"title": title})
    assert status == 200, b
    status, started = server.request("POST", f"/api/v1/broadcasts/{b['id']}/start", cadre_token)
    assert status == 200, started
    return started["broadcast"], started["publish_key"]


class Cast:
    """djtv-cast publishing the test pattern (or INPUT) to broadcast BID through URL."""

    def __init__(self, d, url, ca, bid, key, extra=(), size="640x360", fps=25, bitrate=600,
                 preset="ultrafast", wrap=()):
        self.dir = d
        self.key_file = os.path.join(d, f"key-{bid}")
        with open(self.key_file, "w") as f:
            f.write(key)
        os.chmod(self.key_file, 0o600)
        self.status_file = os.path.join(d, f"cast-{bid}.json")
        self.log_path = os.path.join(d, f"cast-{bid}.log")
        self.cmd = [*wrap, CAST, "--server", url, "--ca", ca, "--broadcast", str(bid),
                    "--key-file", self.key_file, "--size", size, "--fps", str(fps),
                    "--bitrate", str(bitrate), "--preset", preset,
                    "--status-file", self.status_file, *extra]
        self.proc = None
        # djtv-cast's segments are one GOP of fps * 500 ms / 1000 frames (--segment-ms 500).
        self.segment_s = max(1, fps * 500 // 1000) / fps

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def status(self):
        try:
            with open(self.status_file) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def wait_sent(self, n, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status().get("sent", 0) >= n:
                return self.status()
            assert self.proc.poll() is None, f"djtv-cast exited {self.proc.returncode}: {self.log_text()[-2000:]}"
            time.sleep(0.2)
        raise AssertionError(f"djtv-cast sent fewer than {n} segments: {self.status()} "
                             + self.log_text()[-2000:])

    def wait(self, timeout=30):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if not self.proc:
            return None
        code = harness.stop_process(self.proc)
        self.log.close()
        return code

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


def player_cmd(server, token_file, url, extra=()):
    return [os.path.join(harness.BUILD, "djtv"), "--headless", "--server", server.url,
            "--ca", server.ca, "--token-file", token_file, "--play", url, "--font", harness.FONT,
            "--log-level", "debug", *extra]


class Player:
    """The real client in player mode, in the background (a box watching)."""

    def __init__(self, name, server, token, url, extra=(), keys=None, wrap=()):
        self.dir = harness.out_dir(name)
        self.token_file = os.path.join(self.dir, "token")
        with open(self.token_file, "w") as f:
            f.write(token)
        os.chmod(self.token_file, 0o600)
        self.dump = os.path.join(self.dir, "ui.jsonl")
        self.shots = os.path.join(self.dir, "shots")
        cmd = player_cmd(server, self.token_file, url, extra)
        if keys is not None:
            kp = os.path.join(self.dir, "script.keys")
            with open(kp, "w") as f:
                f.write("\n".join(keys) + "\n")
            cmd += ["--keys", kp, "--dump-ui", self.dump, "--screenshot-dir", self.shots]
        self.cmd = [*wrap, *cmd]
        self.env = dict(os.environ, SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy")
        self.proc = None

    def start(self):
        self.log = open(os.path.join(self.dir, "client.log"), "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=self.env)
        return self

    def wait(self, timeout):
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = harness.stop_process(self.proc, grace=10)
        self.log.close()
        return code

    def stop(self):
        if self.proc and self.proc.poll() is None:
            return self.wait(0.01)
        return self.proc.returncode if self.proc else None

    def log_text(self):
        return harness.read_log(os.path.join(self.dir, "client.log"))

    def stats(self):
        m = re.findall(r"final stats (\{.*\})", self.log_text())
        return json.loads(m[-1]) if m else None

    def steps(self):
        return harness.read_dump(self.dump)


class CutProxy:
    """A TCP relay 127.0.0.1:port → target. cut() drops every connection and refuses new ones
    (an uplink that went down); restore() lets them through again."""

    def __init__(self, target_port):
        self.target = ("127.0.0.1", target_port)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.down = threading.Event()
        self.stopping = threading.Event()
        self.conns = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if self.down.is_set():
                c.close()
                continue
            try:
                u = socket.create_connection(self.target, timeout=5)
            except OSError:
                c.close()
                continue
            with self.lock:
                self.conns += [c, u]
            threading.Thread(target=self._pump, args=(c, u), daemon=True).start()

    def _pump(self, a, b):
        try:
            while not self.down.is_set() and not self.stopping.is_set():
                r, _, _ = select.select([a, b], [], [], 0.2)
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.down.set()
        with self.lock:
            for s in self.conns:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.conns = []

    def restore(self):
        self.down.clear()

    def close(self):
        self.stopping.set()
        self.cut()
        self.sock.close()
