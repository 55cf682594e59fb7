-- wrk script for `BENCH ingest.boxes` (tests/bench/live.py): every connection is a box that
-- watches one live meeting: it asks for the live playlist and the newest segment the last
-- playlist named, both at once on its connection (pipelined), and does so as often as it
-- takes to get the stream's segments per second (a segment's EXTINF), like a player that
-- keeps up. wrk's Lua state is per thread, not per connection, so the pace is kept per
-- thread: each thread's boxes together aim at (boxes / threads) segments per segment's
-- length; the pause shrinks when they fall behind (a slow server) and grows when they run
-- ahead. The first DJTV_WARMUP_S seconds (the TLS handshakes of every box) are not counted:
-- done() prints the segments per second per box after them, which live.py checks against
-- the stream's rate. A server that cannot keep up shows as fewer.
-- DJTV_TOKEN is a box token, DJTV_BROADCAST the id, DJTV_BOXES the connections, and
-- DJTV_BENCH_THREADS wrk's threads.
local ffi = require("ffi")
ffi.cdef [[
  struct djtv_timespec { long tv_sec; long tv_nsec; };
  int clock_gettime(int clk, struct djtv_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("struct djtv_timespec")
local function now_s()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local token = os.getenv("DJTV_TOKEN")
local bid = os.getenv("DJTV_BROADCAST")
local boxes = tonumber(os.getenv("DJTV_BOXES") or "1")
local threads = tonumber(os.getenv("DJTV_BENCH_THREADS") or "1")
local warmup_s = tonumber(os.getenv("DJTV_WARMUP_S") or "3")
local my_boxes = math.max(1, boxes / threads)
local headers = { ["Authorization"] = "Bearer " .. token }
local playlist = "/live/" .. bid .. "/index.m3u8"
local newest = nil
local seg_s = 1.0
local started = nil
-- Globals, for done() to read through thread:get(): segments counted after the warm-up,
-- from when to when, and this thread's share of the boxes.
counted = 0
count_from = nil
last_at = nil
share = my_boxes

-- Always two requests: wrk counts the requests of the first batch and expects as many
-- answers for every batch after it. Until a playlist came, the second is the playlist again.
request = function()
  if not started then started = now_s() end
  local second = newest and ("/live/" .. bid .. "/" .. newest) or playlist
  return wrk.format("GET", playlist, headers) .. wrk.format("GET", second, headers)
end

response = function(status, hdrs, body)
  if body and #body < 8192 and body:find("#EXTM3U", 1, true) then
    for dur, seg in body:gmatch("#EXTINF:([%d%.]+),%s*(seg%d+%.ts)") do
      newest = seg
      seg_s = tonumber(dur)
    end
  elseif status == 200 then
    local t = now_s()
    if started and t - started >= warmup_s then
      count_from = count_from or t
      counted = counted + 1
      last_at = t
    end
  end
end

-- The next batch of one box: during the warm-up a segment's length; then that, shortened
-- when this thread's boxes are behind the stream's rate since the warm-up ended and
-- lengthened when they are ahead.
delay = function()
  if not newest or not count_from then return math.floor(seg_s * 1000) end
  local due = (now_s() - count_from) * my_boxes / seg_s
  if due < my_boxes then return math.floor(seg_s * 1000) end
  -- Steep, so that a box's own request time does not leave it a few per cent behind.
  local scale = 1.0 - 10.0 * (1.0 - counted / due)
  return math.floor(math.min(2.0, math.max(0.0, scale)) * seg_s * 1000)
end

local all = {}
setup = function(thread)
  table.insert(all, thread)
end

done = function(summary, latency, requests)
  local segs, box_seconds = 0, 0
  for _, t in ipairs(all) do
    local c, from, last = t:get("counted"), t:get("count_from"), t:get("last_at")
    if c and from and last and last > from then
      segs = segs + c
      box_seconds = box_seconds + t:get("share") * (last - from)
    end
  end
  io.write(string.format("DJTV_SEGMENTS_PER_BOX %.3f\n",
                         box_seconds > 0 and segs / box_seconds or 0))
end
