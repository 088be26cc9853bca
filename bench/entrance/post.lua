-- wrk script of bench/entrance: POST /v1/entrance-checks for random people and places (ids from
-- ids.lua, written by run), each at a time of its own (so every check is new), counting 200s.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local ids = require("ids")
local threads = {}
local headers = {["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. (os.getenv("FK_TOKEN") or "")}
counter, ok = 0, 0 -- globals: wrk reads ok (thread:get), setup sets id

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + (id or 0))
end

function request()
  counter = counter + 1
  -- a distinct second per request and thread: 2022-07-11 00:00 +08:00 plus an offset
  local t = 1657468800 + counter * 64 + id
  local at = os.date("!%Y-%m-%dT%H:%M:%S+00:00", t)
  local body = string.format('{"person_id":"%s","place_id":"%s","temperature":%.1f,"mask":%s,"at":"%s"}',
    ids.persons[math.random(#ids.persons)], ids.places[math.random(#ids.places)],
    36.0 + math.random(0, 15) / 10, math.random(10) > 1 and "true" or "false", at)
  return wrk.format("POST", "/v1/entrance-checks", headers, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("ok") end
  io.write(string.format("ok200 %d\nrps %.0f\np50_ms %.3f\np99_ms %.3f\n", total,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
