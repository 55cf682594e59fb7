"""Run inside a network namespace of its own (tests/integration/test_live.py starts it with
`unshare -n`): loopback up with a route for 224.0.0.0/4, then the real server, djtv-cast
sending the meeting to a multicast group as well as over HTTPS, and the real client playing
the group it finds advertised on the broadcast. Then the group goes silent (its route is taken
away) and the box must go on over HTTPS. Exit 0 when all held; the reason on stderr if not."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import livecast  # noqa: E402


def sh(*args):
    subprocess.run(args, check=True)


def main():
    sh("ip", "link", "set", "lo", "up")
    sh("ip", "route", "add", "224.0.0.0/4", "dev", "lo")
    server = harness.Server("live-mcast")
    work = harness.out_dir("live_multicast_work")
    server.start(["--media", os.path.join(server.dir, "media")])
    cast = player = None
    try:
        token = server.token_of(server.cadre_of("东村"))
        b, key = livecast.start_broadcast(server, token, "有线电视组播测试")
        group = f"udp://239.255.42.9:{harness.free_port()}"
        cast = livecast.Cast(work, server.url, server.ca, b["id"], key,
                             extra=["--multicast", group]).start()
        cast.wait_sent(3)
        box = server.box_of("东村")
        status, page = server.get("/api/v1/broadcasts", box)
        adv = next(x for x in page["broadcasts"] if x["id"] == b["id"])
        assert adv["multicast_url"] == group, adv
        player = livecast.Player(
            "live_multicast", server, box, adv["multicast_url"],
            extra=["--play-broadcast", str(b["id"]),
                   "--play-fallback", server.url + adv["playback_url"]],
            keys=["wait-screen player 20000", "wait 3000", "shot", "wait 12000", "shot"]).start()
        deadline = time.monotonic() + 40
        while not any(s.get("cmd") == "shot" for s in player.steps()):
            assert time.monotonic() < deadline and player.proc.poll() is None, player.log_text()[-3000:]
            time.sleep(0.2)
        sh("ip", "route", "del", "224.0.0.0/4", "dev", "lo")  # the group goes silent
        code = player.wait(60)
        shots = [s for s in player.steps() if s.get("cmd") == "shot"]
        assert len(shots) == 2, (code, player.log_text()[-3000:])
        a, z = shots[0]["state"], shots[1]["state"]
        assert a["source"] == "multicast" and a["player_state"] == "playing" and a["frames_presented"] > 20, a
        assert z["source"] == "fallback" and z["player_state"] == "playing", z
        assert z["frames_presented"] > a["frames_presented"] + 20, (a, z)
        assert "is silent: playing https://" in player.log_text()
        hb = server.sql("SELECT count(*) FROM heartbeats WHERE broadcast_id = ?", (b["id"],))
        assert hb[0][0] >= 1, "the box sent heartbeats"
        print(json.dumps({"multicast_frames": a["frames_presented"],
                          "after_fallback_frames": z["frames_presented"]}))
    finally:
        if player:
            player.stop()
        if cast:
            cast.stop()
        server.finish()


if __name__ == "__main__":
    main()
