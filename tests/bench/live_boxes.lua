-- wrk script for `BENCH ingest.boxes` (tests/bench/live.py): every connection is a box that
-- watches one live meeting the way the player does: the live playlist, then the newest
-- segment it names, once a segment (the newest segment's EXTINF; 1 s until a playlist came).
-- DJTV_TOKEN is a box token, DJTV_BROADCAST the id.
local token = os.getenv("DJTV_TOKEN")
local bid = os.getenv("DJTV_BROADCAST")
local headers = { ["Authorization"] = "Bearer " .. token }
local newest = nil
local next_is_segment = false
local pause_ms = 1000

request = function()
  if next_is_segment and newest then
    next_is_segment = false
    return wrk.format("GET", "/live/" .. bid .. "/" .. newest, headers)
  end
  next_is_segment = true
  return wrk.format("GET", "/live/" .. bid .. "/index.m3u8", headers)
end

response = function(status, hdrs, body)
  if body and #body < 8192 and body:find("#EXTM3U", 1, true) then
    for dur, seg in body:gmatch("#EXTINF:([%d%.]+),%s*(seg%d+%.ts)") do
      newest = seg
      pause_ms = math.floor(tonumber(dur) * 1000)
    end
  end
end

-- A playlist is followed at once by its segment; a segment by a segment's pause.
delay = function()
  if next_is_segment then return 0 end
  return pause_ms
end
