"""New text on the interactive path, as a person with a remote meets it (issue 10): no key
script, the keys come as SDL key events from DJTV_TEST_REMOTE (the same queue a remote's keys
reach), and the client records every frame it presents (--dump-ui and --screenshot-dir without
--keys). A frame with new texts is held while the text worker renders them; the worker's
event must bring the frame on screen, and a slow worker must not keep it off screen: after the
hold the UI thread draws the rest itself. Both without any further key."""
import os
import subprocess
import time

import harness
from harness import BUILD, FONT, SLOWDOWN, Server, find_text

server = None
token = None


def setup_module():
    global server, token
    server = Server("client-text-hold").start()
    token = server.boxes[0]["token"]


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code} on SIGTERM"


class Watched:
    """The headless client without a key script: keys through a FIFO, every presented frame
    in the dump. Stopped with SIGTERM (as a box is) by stop()."""

    def __init__(self, name, env_extra):
        self.dir = harness.out_dir(name)
        self.fifo = os.path.join(self.dir, "remote")
        os.mkfifo(self.fifo)
        tok = os.path.join(self.dir, "token")
        with open(tok, "w", encoding="utf-8") as f:
            f.write(token)
        os.chmod(tok, 0o600)
        self.dump = os.path.join(self.dir, "frames.jsonl")
        self.shots = os.path.join(self.dir, "shots")
        cmd = [os.path.join(BUILD, "djtv"), "--headless", "--server", server.url,
               "--ca", server.ca, "--token-file", tok, "--font", FONT,
               "--dump-ui", self.dump, "--screenshot-dir", self.shots, "--log-level", "debug",
               "--ask-viewers=no"]
        env = harness.client_env(dict(env_extra, DJTV_TEST_REMOTE=self.fifo))
        self.log = open(os.path.join(self.dir, "client.log"), "wb")
        self.proc = subprocess.Popen(harness.under_valgrind(cmd), stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)

    def frames(self):
        return harness.read_dump(self.dump)

    def log_text(self):
        return harness.read_log(os.path.join(self.dir, "client.log"))

    def wait_frame(self, what, pred, after=0, timeout=30):
        """The first presented frame from index AFTER on for which PRED holds."""
        deadline = time.monotonic() + timeout * SLOWDOWN
        while time.monotonic() < deadline:
            for f in self.frames()[after:]:
                if pred(f):
                    return f
            assert self.proc.poll() is None, f"the client ended: {self.log_text()[-3000:]}"
            time.sleep(0.1)
        raise AssertionError(f"no frame shows {what}; last frames: "
                             f"{[(f['frame'], f['screen']) for f in self.frames()[-5:]]}\n"
                             f"log: {self.log_text()[-3000:]}")

    def press(self, key):
        with open(self.fifo, "w", encoding="utf-8") as f:
            f.write(key + "\n")

    def stop(self):
        code = harness.stop_process(self.proc)
        self.log.close()
        return code


def home_with_sections(f):
    return f["screen"] == "home" and not f["loading"] and find_text(f, "党教园地")


def study_with_items(f):
    return f["screen"] == "section.study" and not f["loading"] and len(f["texts"]) > 3


def open_study(client):
    """Home, then digit 3 from the remote: the study section's first frame with its items.
    Returns (home frame, section frame)."""
    home = client.wait_frame("home with its sections", home_with_sections)
    assert all(g["screen"] == "home" for g in client.frames()), "a key before any was pressed"
    seen = len(client.frames())
    client.press("3")
    study = client.wait_frame("the study section", study_with_items, after=seen)
    return home, study


def new_texts(before, after):
    return set(harness.texts(after)) - set(harness.texts(before))


def test_the_workers_event_brings_the_held_frame_on_screen():
    # A hold far longer than the test: only the worker's event can end it, so a frame that
    # shows the section's new texts was put on screen by that event, with no further key.
    client = Watched("client_text_hold_event", {"DJTV_TEST_TEXT_HOLD_MS": "600000"})
    try:
        home, study = open_study(client)
        fresh = new_texts(home, study)
        assert fresh, "the section shows nothing that home did not"
        assert study["text_worker"]["handed"] > home["text_worker"]["handed"], \
            "the section's new texts did not go to the worker"
        for f in client.frames():
            assert f["text_worker"]["rendered_here"] == 0, \
                f"frame {f['frame']}: the UI thread rendered texts the worker was to render"
        # Every frame shown after the key already has every text it draws: a held frame is
        # never shown half-done (the dump lists what was drawn, texture or not).
        assert os.path.exists(os.path.join(client.shots, f"frame-{study['frame']:04d}.png"))
        assert "texts not all rendered" not in client.log_text()
    finally:
        code = client.stop()
    assert code == 0, client.log_text()[-3000:]


def test_a_slow_worker_does_not_keep_the_frame_off_screen():
    # The worker waits 60 s before each batch: after the 100 ms hold the UI thread draws the
    # section's texts itself and the frame comes on screen, without a key and without the
    # worker.
    client = Watched("client_text_hold_slow", {"DJTV_TEST_TEXT_DELAY_MS": "60000"})
    try:
        home, study = open_study(client)
        fresh = new_texts(home, study)
        assert fresh, "the section shows nothing that home did not"
        assert study["text_worker"]["rendered_here"] > home["text_worker"]["rendered_here"], \
            "the section's new texts were not drawn on the UI thread after the hold"
        assert "texts not all rendered after 100 ms" in client.log_text()
        assert os.path.exists(os.path.join(client.shots, f"frame-{study['frame']:04d}.png"))
    finally:
        code = client.stop()
    assert code == 0, client.log_text()[-3000:]
