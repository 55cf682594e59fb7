"""What the TV tests of the live meeting share: the real djtv-server (demo data, no broadcast
live at the start) and the meeting's picture, an HLS stream made by the ffmpeg CLI and served
over HTTPS by media_https.MediaServer. The demo has no route to set a broadcast's playback URL,
so picture() writes it into the database (test-only).

    live = LiveMeeting("client-rollcall")          # in setup_module
    bid = boxflow.start_broadcast(live.server, cadre, "…"); live.picture(bid)
    live.stop()                                    # in teardown_module

Everything started is stopped by stop(), also when the start itself failed half-way."""
import os
import shutil
import tempfile

import boxflow
import harness
from harness import Server
from media_https import MediaServer


class LiveMeeting:
    def __init__(self, name, seconds=120, before_start=None):
        """NAME: the server's (and the temporary folder's) name. SECONDS: the stream's length.
        BEFORE_START(server, work): runs before the server starts (e.g. an import into its
        database) and returns more server arguments, or None."""
        self.server = None
        self.media = None
        self.work = tempfile.mkdtemp(prefix=f"djtv-{name}-")
        try:
            harness.make_hls(os.path.join(self.work, "media", "hls"), seconds)
            self.server = Server(name)
            extra = before_start(self.server, self.work) if before_start else None
            self.server.start(list(extra or ()))
            self.media = MediaServer(os.path.join(self.work, "media"), self.server.dir).start()
            boxflow.end_all_live(self.server)
        except BaseException:
            self.stop()
            raise

    def picture(self, broadcast_id):
        """Broadcast BROADCAST_ID plays the test stream."""
        self.server.sql("UPDATE broadcasts SET playback_url = ? WHERE id = ?",
                        (self.media.url("hls/index.m3u8"), broadcast_id))

    def stop(self):
        try:
            if self.media:
                self.media.stop()
            if self.server:
                self.server.finish()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
