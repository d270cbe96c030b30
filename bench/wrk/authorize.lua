-- GET /authorize?client_id&request_uri without a session: the server claims the pushed request for a new browser and answers
-- 302 to its login page. Every request claims a different request URI, read from AUTHORIZE_REFS (one per line, written by
-- `flow fill`), from line AUTHORIZE_START to line AUTHORIZE_END (the file's end if unset; the warm-up and the measured run,
-- and each server instance, use disjoint ranges). Past the end it wraps around, and Parapet then answers 400 (already
-- claimed by another browser), which is counted as bad.
-- Environment: AUTHORIZE_CLIENT_ID, AUTHORIZE_REFS, AUTHORIZE_START, AUTHORIZE_END. Prints one RESULT line in done().
local client_id = os.getenv("AUTHORIZE_CLIENT_ID") or "bench-client"
local refs_file = os.getenv("AUTHORIZE_REFS")
local start = tonumber(os.getenv("AUTHORIZE_START") or "1")
local last = tonumber(os.getenv("AUTHORIZE_END") or "0")

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local paths = {}
local nthreads = 1
local index = 0
local bad = 0
function init(args)
  -- Thread t of n takes every n-th line, so threads never share a request URI.
  nthreads = tonumber(os.getenv("AUTHORIZE_THREADS") or "1")
  local prefix = "/authorize?client_id=" .. urlencode(client_id) .. "&request_uri="
  local n = 0
  for line in io.lines(refs_file) do
    n = n + 1
    if last > 0 and n > last then break end
    if n >= start and (n - start) % nthreads == tid - 1 then
      table.insert(paths, prefix .. urlencode(line))
    end
  end
  if #paths == 0 then error("no request URIs in " .. tostring(refs_file) .. " from line " .. start) end
end

function request()
  index = index + 1
  return wrk.format("GET", paths[(index - 1) % #paths + 1])
end

function response(status, headers, body)
  if status ~= 302 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("non-302: " .. status .. " " .. tostring(body):sub(1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + (t:get("bad") or 0) end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d bad=%d sock_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    total_bad, e.connect + e.read + e.write + e.timeout + e.status))
end
