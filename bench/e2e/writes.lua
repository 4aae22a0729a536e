-- writes.lua: wrk workloads for the write operations the shared harness in ../shared/bench
-- lacks. Self-contained; table `bench_kv` (pk S) must exist (bench/e2e/run.sh creates it).
--
--   wrk -t2 -c32 -d10s -s bench/e2e/writes.lua http://127.0.0.1:4566/ -- op=update keys=10000
--
-- op=put:    PutItem of a ~1 KB item at a random key of `keys`, for comparison.
-- op=update: UpdateItem "SET payload = :p, ts = :t ADD ver :one" at a random key (creates it
--            when absent), with ConditionExpression "attribute_not_exists(locked)".
-- op=batch:  BatchWriteItem of 25 ~1 KB items at random keys (items/s = 25 x req/s).
-- op=txn:    TransactWriteItems of 4 actions on 4 distinct random keys: 2 Puts of ~1 KB items,
--            an Update "ADD ver :one" with ConditionExpression "attribute_not_exists(locked)",
--            and a ConditionCheck "attribute_not_exists(locked)". No ClientRequestToken.
-- done() prints the rate, p50/p99 and wrk's count of HTTP error answers (status >= 400).

local op, keys, table_name = "update", 10000, "bench_kv"

local payload = string.rep("x", 1000)

local AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, " ..
             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" .. string.rep("0", 64)

function init(args)
  for _, a in ipairs(args or {}) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k == "op" then op = v elseif k == "keys" then keys = tonumber(v) elseif k == "table" then table_name = v end
  end
  math.randomseed(os.time() * 1000 + math.random(1, 999))
end

local function build(action, body)
  return "POST / HTTP/1.1\r\nHost: " .. wrk.host .. "\r\nContent-Type: application/x-amz-json-1.0\r\n" ..
         "X-Amz-Target: DynamoDB_20120810." .. action .. "\r\nX-Amz-Date: 20240101T000000Z\r\n" ..
         "Authorization: " .. AUTH .. "\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
end

-- n distinct random keys
local function distinct_keys(n)
  local seen, out = {}, {}
  while #out < n do
    local k = string.format("k%08d", math.random(0, keys - 1))
    if not seen[k] then seen[k] = true; out[#out + 1] = k end
  end
  return out
end

local function item(key)
  return '{"pk":{"S":"' .. key .. '"},"payload":{"S":"' .. payload .. '"},"ver":{"N":"1"}}'
end

function request()
  if op == "put" or op == "update" then
    local key = distinct_keys(1)[1]
    local ts = "1700000000" .. math.random(100, 999)
    if op == "put" then
      return build("PutItem", '{"TableName":"' .. table_name .. '","Item":{"pk":{"S":"' .. key ..
        '"},"payload":{"S":"' .. payload .. '"},"ver":{"N":"1"},"ts":{"N":"' .. ts .. '"}}}')
    end
    return build("UpdateItem", '{"TableName":"' .. table_name .. '","Key":{"pk":{"S":"' .. key ..
      '"}},"UpdateExpression":"SET payload = :p, ts = :t ADD ver :one",' ..
      '"ConditionExpression":"attribute_not_exists(locked)",' ..
      '"ExpressionAttributeValues":{":p":{"S":"' .. payload .. '"},":t":{"N":"' .. ts ..
      '"},":one":{"N":"1"}}}')
  end
  if op == "txn" then
    local k = distinct_keys(4)
    local cond = '"ConditionExpression":"attribute_not_exists(locked)"'
    return build("TransactWriteItems", '{"TransactItems":[' ..
      '{"Put":{"TableName":"' .. table_name .. '","Item":' .. item(k[1]) .. '}},' ..
      '{"Put":{"TableName":"' .. table_name .. '","Item":' .. item(k[2]) .. '}},' ..
      '{"Update":{"TableName":"' .. table_name .. '","Key":{"pk":{"S":"' .. k[3] .. '"}},' ..
      '"UpdateExpression":"ADD ver :one","ExpressionAttributeValues":{":one":{"N":"1"}},' .. cond .. '}},' ..
      '{"ConditionCheck":{"TableName":"' .. table_name .. '","Key":{"pk":{"S":"' .. k[4] .. '"}},' .. cond .. '}}]}')
  end
  local puts = {}
  for i, key in ipairs(distinct_keys(25)) do
    puts[i] = '{"PutRequest":{"Item":' .. item(key) .. '}}'
  end
  return build("BatchWriteItem", '{"RequestItems":{"' .. table_name .. '":[' .. table.concat(puts, ",") .. ']}}')
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f req/s p50 %.3f ms p99 %.3f ms errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
