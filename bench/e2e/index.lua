-- index.lua: wrk workloads reading global secondary indexes. Self-contained; table `bench_gsi`
-- (pk S) with GSIs ByGroup (grp S, ord N) and ByEmail (email S) must hold the items of
-- bench/e2e/index_setup.py (bench/e2e/index.sh creates and loads it).
--
--   wrk -t2 -c32 -d10s -s bench/e2e/index.lua http://127.0.0.1:4566/ -- op=gsi_query
--
-- op=gsi_query:  Query IndexName=ByGroup "grp = :g" of a random group, Limit 25 (~25 KB).
-- op=gsi_lookup: Query IndexName=ByEmail "email = :e" of a random existing email: one item
--                (the "GetItem on a GSI").
-- Options (after --): items=N [10000], groups=G [100], limit=L [25], table=NAME [bench_gsi].
-- Every answer is checked: HTTP 200 and "Count": 25 (gsi_query) or 1 (gsi_lookup); others are
-- counted as bad. done() prints
--   RESULT <req/s> req/s p50 <ms> ms p99 <ms> ms errors <non-200> bad <wrong bodies>
-- and a '#' line with the first failing answer.

local op, items, groups, limit, table_name = "gsi_query", 10000, 100, 25, "bench_gsi"
local expected, pattern = 25, nil
local bad, non200, sample = 0, 0, ""

local AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, " ..
             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)
local prefix

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

function init(args)
  for _, a in ipairs(args or {}) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k == "op" then op = v
    elseif k == "items" then items = tonumber(v)
    elseif k == "groups" then groups = tonumber(v)
    elseif k == "limit" then limit = tonumber(v)
    elseif k == "table" then table_name = v end
  end
  expected = (op == "gsi_lookup") and 1 or math.min(limit, math.floor(items / groups))
  pattern = '"Count":%s*' .. expected .. '[,}%s]'
  local tid = tonumber(rawget(_G, "tid")) or 0
  math.randomseed(os.time() * 1000 + tid * 7919 + 17)
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. tostring(wrk.port))
  prefix = "POST / HTTP/1.1\r\nHost: " .. host .. "\r\nContent-Type: application/x-amz-json-1.0\r\n" ..
           "X-Amz-Target: DynamoDB_20120810.Query\r\nX-Amz-Date: 20240101T000000Z\r\n" ..
           "Authorization: " .. AUTH .. "\r\nContent-Length: "
end

function request()
  local body
  if op == "gsi_lookup" then
    body = '{"TableName":"' .. table_name .. '","IndexName":"ByEmail",' ..
      '"KeyConditionExpression":"email = :e","ExpressionAttributeValues":{":e":{"S":"' ..
      string.format("u%08d@example.com", math.random(0, items - 1)) .. '"}}}'
  else
    body = '{"TableName":"' .. table_name .. '","IndexName":"ByGroup",' ..
      '"KeyConditionExpression":"grp = :g","ExpressionAttributeValues":{":g":{"S":"' ..
      string.format("g%05d", math.random(0, groups - 1)) .. '"}},"Limit":' .. limit .. '}'
  end
  return prefix .. #body .. "\r\n\r\n" .. body
end

function response(status, headers, body)
  local ok = status == 200
  if not ok then
    non200 = non200 + 1
  elseif not body or not (body:sub(1, 200):find(pattern) or body:sub(-400):find(pattern)) then
    -- Count sits at the start or the end of the body, depending on the server
    ok = false
    bad = bad + 1
  end
  if not ok and sample == "" then sample = tostring(status) .. " " .. tostring(body):sub(1, 200) end
  T_bad, T_non200, T_sample = bad, non200, sample
end

function done(summary, latency, requests)
  local nb, nn, first = 0, 0, ""
  for _, t in ipairs(threads) do
    nb = nb + (tonumber(t:get("T_bad")) or 0)
    nn = nn + (tonumber(t:get("T_non200")) or 0)
    local s = t:get("T_sample")
    if first == "" and s then first = s end
  end
  io.write(string.format("RESULT %.1f req/s p50 %.3f ms p99 %.3f ms errors %d bad %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, nn, nb))
  if first ~= "" then io.write("# first failure: " .. first:gsub("%s+", " ") .. "\n") end
end
