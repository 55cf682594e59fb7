"""Many Server-Sent Events streams from one process: asyncio + TLS, no thread per stream.
Used by test_events.py and by the benchmark (tests/bench/run.py).

A Stream is one HTTPS connection with GET /api/v1/events; it de-chunks the body and parses the
SSE fields (id, event, data, retry, comments) into Event objects, each stamped with the
monotonic time its last byte arrived."""
import asyncio
import resource
import ssl
import time


def raise_nofile(want):
    """Lift this process's soft open-file limit towards WANT (up to the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(hard, want)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Event:
    def __init__(self, fields, comments, t):
        self.id = fields.get("id")
        self.type = fields.get("event", "message")
        self.data = fields.get("data")
        self.retry = fields.get("retry")
        self.comments = comments
        self.t = t  # time.monotonic() when it arrived

    def __repr__(self):
        return f"Event(id={self.id}, type={self.type}, data={self.data}, comments={self.comments})"


class Stream:
    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.text = ""       # de-chunked text not yet parsed into events
        self.events = []     # every Event so far
        self.ended = False   # the server ended the stream (last chunk or close)

    @classmethod
    async def open(cls, host, port, ctx, token, last_event_id=None, timeout=30):
        """Connect and send the request; returns (status, Stream or body text)."""
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ctx, server_hostname="localhost"), timeout)
        lines = [f"GET /api/v1/events HTTP/1.1", f"Host: {host}", "Accept: text/event-stream"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        if last_event_id is not None:
            lines.append(f"Last-Event-ID: {last_event_id}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        status = int(head.split(b" ", 2)[1])
        s = cls(reader, writer)
        if status != 200:
            length = 0
            for line in head.decode("latin-1").split("\r\n"):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            body = await asyncio.wait_for(reader.readexactly(length), timeout) if length else b""
            s.close()
            return status, body.decode("utf-8", "replace")
        if b"chunked" not in head.lower():
            s.close()
            raise RuntimeError("event stream is not chunked: " + head.decode("latin-1"))
        return status, s

    async def _chunk(self):
        """One chunk of the body as text; None at the end of the stream."""
        size_line = await self.reader.readline()
        if not size_line:
            return None
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            await self.reader.readline()
            return None
        data = await self.reader.readexactly(size + 2)
        return data[:-2].decode("utf-8")

    def _parse(self, t):
        out = []
        while "\n\n" in self.text:
            block, self.text = self.text.split("\n\n", 1)
            fields, comments = {}, []
            for line in block.split("\n"):
                if line.startswith(":"):
                    comments.append(line[1:].strip())
                    continue
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "data" and "data" in fields:
                    fields["data"] += "\n" + value
                else:
                    fields[name] = value
            ev = Event(fields, comments, t)
            self.events.append(ev)
            out.append(ev)
        return out

    async def next_events(self):
        """Wait for the next chunk; returns the events it completed ([] if none, None at end)."""
        try:
            text = await self._chunk()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            text = None
        if text is None:
            self.ended = True
            return None
        self.text += text
        return self._parse(time.monotonic())

    async def wait_for(self, pred, timeout):
        """The first event (already received or coming) for which pred(ev) holds, or None."""
        for ev in self.events:
            if pred(ev):
                return ev
        deadline = time.monotonic() + timeout
        while not self.ended:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                evs = await asyncio.wait_for(self.next_events(), left)
            except asyncio.TimeoutError:
                return None
            for ev in evs or []:
                if pred(ev):
                    return ev
        return None

    def close(self):
        try:
            self.writer.close()
        except Exception:
            pass


def client_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


async def open_many(host, port, ca, tokens, n, parallel=100, timeout=60):
    """Open N streams (tokens used round-robin), at most PARALLEL handshakes at a time; every
    stream has received its first block ("retry:") when this returns."""
    ctx = client_context(ca)
    gate = asyncio.Semaphore(parallel)

    async def one(i):
        async with gate:
            status, s = await Stream.open(host, port, ctx, tokens[i % len(tokens)],
                                          timeout=timeout)
            if status != 200:
                raise RuntimeError(f"stream {i}: HTTP {status} {s}")
            ev = await s.wait_for(lambda e: e.retry is not None, timeout)
            if ev is None:
                s.close()
                raise RuntimeError(f"stream {i}: no retry field")
            return s

    return await asyncio.gather(*(one(i) for i in range(n)))


async def await_event(streams, pred, timeout):
    """For each stream, the first event matching pred (None where none came in time)."""
    return await asyncio.gather(*(s.wait_for(pred, timeout) for s in streams))


def percentile(values, p):
    """The p-th percentile (0-100) of VALUES by the nearest-rank method."""
    if not values:
        return float("nan")
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]
