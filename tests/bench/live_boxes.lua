-- wrk script for `BENCH ingest.boxes` (tests/bench/live.py): every connection is a box that
-- watches one live meeting: it asks for the live playlist and the newest segment the last
-- playlist named, both at once on its connection (pipelined), and does so as often as it
-- takes to get the stream's segments per second (a segment's EXTINF), like a player that
-- keeps up. wrk's Lua state is per thread, not per connection, so the pace is kept per
-- thread: each thread's boxes together aim at (boxes / threads) segments per segment's
-- length, and the pause shrinks when they fall behind (a slow server) and grows when they
-- run ahead. A server that cannot keep up shows as fewer segments per second per box.
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
local my_boxes = math.max(1, boxes / threads)
local headers = { ["Authorization"] = "Bearer " .. token }
local playlist = "/live/" .. bid .. "/index.m3u8"
local newest = nil
local seg_s = 1.0
local started = nil
local segments = 0 -- segment answers this thread got

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
    segments = segments + 1
  end
end

-- The next batch of one box: a segment's length, scaled by how far this thread's boxes are
-- ahead of (longer) or behind (shorter) the stream's rate since they started.
delay = function()
  if not started or not newest then return 0 end
  local due = (now_s() - started) * my_boxes / seg_s
  local ratio = (segments + my_boxes) / math.max(1, due)
  return math.floor(math.min(2.0, math.max(0.0, ratio)) * seg_s * 1000)
end
