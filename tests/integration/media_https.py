"""A small static HTTPS file server for the playback tests: HTTP/1.1 keep-alive, byte ranges
(206 / 416), 404 for missing files, on 127.0.0.1 with a certificate from harness.make_certs.

    srv = MediaServer(root, cert_dir).start()   # cert_dir holds server.crt / server.key
    srv.url("hls/index.m3u8") -> "https://127.0.0.1:PORT/hls/index.m3u8"
    srv.stop()

It runs in a thread of the test process; stop() closes the listener and every open
connection, so a restart looks like a real server restart to the client."""
import os
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".mp4": "video/mp4"}
CHUNK = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        self.server.hits.append(self.path)

    def _file(self):
        rel = self.path.split("?", 1)[0].lstrip("/")
        root = os.path.realpath(self.server.root)
        full = os.path.realpath(os.path.join(root, rel))
        if not full.startswith(root + os.sep) or not os.path.isfile(full):
            return None
        return full

    def _error(self, code):
        body = f"{code}\n".encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _range(self, size):
        """(start, end) inclusive for a satisfiable Range header, None without one, or
        'bad' when it cannot be satisfied."""
        h = self.headers.get("Range")
        if not h:
            return None
        if not h.startswith("bytes=") or "," in h:
            return "bad"
        first, _, last = h[6:].strip().partition("-")
        try:
            if first == "":
                n = int(last)
                if n <= 0:
                    return "bad"
                return max(0, size - n), size - 1
            start = int(first)
            end = int(last) if last else size - 1
        except ValueError:
            return "bad"
        if start >= size or end < start:
            return "bad"
        return start, min(end, size - 1)

    def _serve(self):
        path = self._file()
        if path is None:
            self._error(404)
            return
        size = os.path.getsize(path)
        rng = self._range(size)
        if rng == "bad":
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, end = rng if rng else (0, size - 1)
        self.send_response(206 if rng else 200)
        self.send_header("Content-Type", TYPES.get(os.path.splitext(path)[1], "application/octet-stream"))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if rng:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        with open(path, "rb") as f:
            f.seek(start)
            left = end - start + 1
            while left > 0:
                data = f.read(min(CHUNK, left))
                if not data:
                    break
                self.wfile.write(data)
                left -= len(data)

    def do_GET(self):
        try:
            self._serve()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    do_HEAD = do_GET


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, root, ctx):
        self.root = root
        self.ctx = ctx
        self.hits = []
        self.conns = set()
        self.lock = threading.Lock()
        super().__init__(addr, _Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        sock.settimeout(30)
        # The handshake runs in the handler's thread, so a stuck client blocks nobody.
        tls = self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self.lock:
            self.conns.add(tls)
        return tls, addr

    def finish_request(self, request, client_address):
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError):
            return  # e.g. the client does not trust our CA: its business
        super().finish_request(request, client_address)

    def shutdown_request(self, request):
        with self.lock:
            self.conns.discard(request)
        super().shutdown_request(request)

    def drop_connections(self):
        with self.lock:
            conns = list(self.conns)
            self.conns.clear()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                c.close()
            except OSError:
                pass


class MediaServer:
    def __init__(self, root, cert_dir, port=0):
        self.root = root
        self.cert_dir = cert_dir
        self.port = port
        self.httpd = None
        self.thread = None

    def start(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(os.path.join(self.cert_dir, "server.crt"),
                            os.path.join(self.cert_dir, "server.key"))
        self.httpd = _TLSServer(("127.0.0.1", self.port), self.root, ctx)
        self.port = self.httpd.server_address[1]  # keep it for a restart on the same port
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if not self.httpd:
            return
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.drop_connections()
        self.thread.join(timeout=5)
        self.httpd = None

    def hits(self):
        return list(self.httpd.hits) if self.httpd else []

    def url(self, rel):
        return f"https://127.0.0.1:{self.port}/{rel.lstrip('/')}"
