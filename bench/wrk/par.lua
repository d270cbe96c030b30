-- POST /par with client_secret_basic and a realistic RFC 9126 form; state and nonce differ per request.
-- Environment: PAR_CLIENT_ID, PAR_CLIENT_SECRET, PAR_REDIRECT_URI. Prints one machine-readable RESULT line in done().
local client_id = os.getenv("PAR_CLIENT_ID") or "bench-client"
local client_secret = os.getenv("PAR_CLIENT_SECRET") or "bench-secret-bench-secret-bench-secret-0"
local redirect_uri = os.getenv("PAR_REDIRECT_URI") or "https://client.example.org/cb"

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(data)
  return ((data:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return b64chars:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#data % 3 + 1])
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

-- A fixed S256 challenge (43 base64url chars): the server stores it, it never sees the verifier at /par.
local code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
local prefix = "response_type=code&client_id=" .. urlencode(client_id)
  .. "&redirect_uri=" .. urlencode(redirect_uri)
  .. "&scope=" .. urlencode("openid profile")
  .. "&code_challenge=" .. code_challenge
  .. "&code_challenge_method=S256"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. base64(urlencode(client_id) .. ":" .. urlencode(client_secret))

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
local non201 = 0
local statuses = {}
function init(args)
  counter = tid * 100000000
end

function request()
  counter = counter + 1
  local body = prefix .. "&state=st" .. counter .. "x" .. string.format("%08x", math.random(0, 0x7fffffff))
    .. "&nonce=n" .. counter .. "y" .. string.format("%08x", math.random(0, 0x7fffffff))
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    statuses[status] = (statuses[status] or 0) + 1
    if non201 <= 3 then io.stderr:write("non-201: " .. status .. " " .. tostring(body):sub(1, 300) .. "\n") end
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non201") or 0) end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non201=%d bad=%d sock_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    bad, bad, e.connect + e.read + e.write + e.timeout + e.status))
end
