-- wrk script: replay a prepared list of requests, one per line of the file named by the
-- environment variable DJTV_BENCH_REQUESTS: METHOD<TAB>PATH<TAB>TOKEN<TAB>JSON BODY.
-- With DJTV_BENCH_THREADS = wrk's -t, thread i sends lines i, i+N, i+2N, ... so no two threads
-- send the same request; a thread that runs out starts again from its first line (the API
-- answers repeats idempotently, but size the file so that it does not happen).
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("index", counter)
end

function init(args)
    local every = tonumber(os.getenv("DJTV_BENCH_THREADS") or "1")
    local f = assert(io.open(os.getenv("DJTV_BENCH_REQUESTS"), "r"))
    reqs = {}
    local i = 0
    for line in f:lines() do
        i = i + 1
        if (i - index) % every == 0 then
            local method, p, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
            local headers = { ["Content-Type"] = "application/json" }
            if token ~= "" then headers["Authorization"] = "Bearer " .. token end
            if body == "" then body = nil end
            table.insert(reqs, wrk.format(method, p, headers, body))
        end
    end
    f:close()
    pos = 0
end

function request()
    pos = pos + 1
    if pos > #reqs then pos = 1 end
    return reqs[pos]
end

