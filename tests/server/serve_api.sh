#!/usr/bin/env bash
# `fangkong serve`: the HTTP API on a free loopback port over a small city built here. Routes
# against the OpenAPI document, health, metrics, keep-alive, tokens (stored as hashes only) and
# the scope of an entrance device, entrance checks (the same answer as `fangkong check` on a copy
# of the store, stored before the answer), every kind of bad input answered 4xx as problem
# details, a client that stalls half-way, concurrent checks (each answered 200 stored once), and
# SIGTERM draining.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

make_city
cp t.db ref.db

# Tokens: printed once, stored as their SHA-256 only; a role takes a node of its level.
expect 0 "token city" -- "$B" token create --db t.db --role city --scope city
CITY=$(cat out.txt)
expect 0 "token entrance" -- "$B" token create --db t.db --role entrance --scope G3
DEV=$(cat out.txt)
expect 0 "token grid" -- "$B" token create --db t.db --role grid --scope G1
GRID=$(cat out.txt)
equals "token shape" "$(grep -cE '^fk_[0-9a-f]{64}$' <<<"$DEV")" 1
equals "stored as hashes" "$(sqlite3 t.db "SELECT count(*) FROM api_tokens WHERE hash = '$(printf %s "$DEV" | sha256sum | cut -c1-64)'")" 1
equals "never the token" "$(sqlite3 t.db "SELECT count(*) FROM api_tokens WHERE hash LIKE 'fk_%'")" 0
expect 0 "token district" -- "$B" token create --db t.db --role district --scope /迎泽区
DIST=$(cat out.txt)
expect 0 "token epidemiologist" -- "$B" token create --db t.db --role epidemiologist --scope city
EPI=$(cat out.txt)
expect 1 "no such node" -- "$B" token create --db t.db --role entrance --scope G9
contains err.txt "no node G9"
expect 1 "level" -- "$B" token create --db t.db --role district --scope G1
contains err.txt "level 1"
expect 2 "role" -- "$B" token create --db t.db --role mayor --scope city

start_server --threads 2 --timeout 2 --max-body 1024

# A second server on the same port is refused, with several request loops or one (the loops'
# shared port, SO_REUSEPORT, would otherwise take it in without a word).
port=${U##*:}
expect 1 "a second server, two loops" -- timeout 10 "$B" serve --db t.db --listen "127.0.0.1:$port" --threads 2
contains err.txt "cannot listen on 127.0.0.1:$port"
expect 1 "a second server, one loop" -- timeout 10 "$B" serve --db t.db --listen "127.0.0.1:$port"

# req NAME METHOD PATH [BODY]: status to NAME.status, body to NAME.json, headers to NAME.h.
req() {
  local name=$1 method=$2 path=$3
  shift 3
  curl -s -o "$name.json" -D "$name.h" -w '%{http_code}' -X "$method" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer ${TOKEN:-$DEV}" "$@" "$U$path" \
    >"$name.status"
}
status() { cat "$1.status"; }

# Routes and the OpenAPI document name the same operations.
"$B" serve --routes | sort >routes.txt
req openapi GET /v1/openapi.json
equals "openapi" "$(status openapi)" 200
pj openapi.json '"\n".join(sorted(m.upper()+" "+p for p, ops in d["paths"].items() for m in ops))' >doc.txt
equals "routes = document" "$(cat routes.txt)" "$(cat doc.txt)"
equals "openapi version" "$(pj openapi.json 'd["openapi"][:2]')" "3."

req health GET /v1/health
equals "health" "$(status health)" 200
equals "health body" "$(pj health.json 'd["status"]')" ok
equals "health version" "fangkong $(pj health.json 'd["version"]')" "$("$B" --version)"
equals "openapi info.version" "fangkong $(pj openapi.json 'd["info"]["version"]')" "$("$B" --version)"
contains health.h "application/json"

# Keep-alive: two requests on one connection (the two-phase handler keeps it open).
curl -sv "$U/v1/health" "$U/v1/health" >/dev/null 2>keepalive.txt
contains keepalive.txt "Re-using existing connection"
lacks keepalive.txt "Connection: close"

# Entrance checks: the same answer as the command on an identical store, and stored.
body() { printf '{"person_id":"%s","place_id":"%s","temperature":%s,"mask":%s,"at":"2022-07-11T09:%s:00+08:00"}' "$@"; }
req green POST /v1/entrance-checks --data "$(body P3 R3 36.5 true 00)"
equals "green status" "$(status green)" 200
expect 0 "check green" -- "$B" check P3 R3 --db ref.db --at 2022-07-11T09:00:00+08:00 --temperature 36.5 --mask 1
equals "green = check" "$(cat green.json)" "$(cat out.txt)"
equals "green decision" "$(pj green.json '[d["decision"], d["code"], d["recorded"]]')" '["pass","green",true]'
TOKEN=$CITY req red POST /v1/entrance-checks --data "$(body P2 R1 37.5 false 01)"
expect 0 "check red" -- "$B" check P2 R1 --db ref.db --at 2022-07-11T09:01:00+08:00 --temperature 37.5 --mask 0
equals "red = check" "$(cat red.json)" "$(cat out.txt)"
equals "red reasons" "$(pj red.json '[d["decision"], d["code"]] + [k in [r["key"] for r in d["reasons"]] for k in ("code_red", "confined", "fever", "no_mask")]')" '["deny","red",true,true,true,true]'
req again POST /v1/entrance-checks --data "$(body P3 R3 36.5 true 00)"
equals "a repeat is not stored twice" "$(pj again.json 'd["recorded"]')" false
req now POST /v1/entrance-checks --data '{"person_id":"P3","place_id":"R3","temperature":36.4,"mask":true}'
equals "no at: the server's clock" "$(status now)" 200

# Bad input: 4xx problem details naming what is wrong; never a crash.
# bad NAME STATUS TEXT-IN-DETAIL BODY
bad() {
  req "$1" POST /v1/entrance-checks --data "$4"
  equals "$1 status" "$(status "$1")" "$2"
  contains "$1.h" "application/problem+json"
  equals "$1 problem" "$(pj "$1.json" '[d["status"], d["title"] != "", d["instance"]]')" "[$2,true,\"/v1/entrance-checks\"]"
  contains "$1.json" "$3"
}
bad malformed 400 "malformed JSON" '{"person_id": "P3",'
bad notobject 400 "JSON object" '[1,2]'
bad temptype 400 "temperature: must be a number" '{"person_id":"P3","place_id":"R3","temperature":"hot","mask":true}'
bad masktype 400 "mask: must be true or false" '{"person_id":"P3","place_id":"R3","temperature":36.5,"mask":1}'
bad idtype 400 "person_id: must be a string" '{"person_id":3,"place_id":"R3","temperature":36.5,"mask":true}'
bad missing 400 "place_id: missing" '{"person_id":"P3","temperature":36.5,"mask":true}'
bad range 400 "between 30 and 45" '{"person_id":"P3","place_id":"R3","temperature":3650,"mask":true}'
bad unknown 400 "colour: unknown field" '{"person_id":"P3","place_id":"R3","temperature":36.5,"mask":true,"colour":1}'
bad attime 400 "at: must be an ISO 8601" '{"person_id":"P3","place_id":"R3","temperature":36.5,"mask":true,"at":"yesterday"}'
bad empty 400 "malformed JSON" ''
bad noperson 404 "no person P9" '{"person_id":"P9","place_id":"R3","temperature":36.5,"mask":true}'
bad noplace 404 "no place R9" '{"person_id":"P3","place_id":"R9","temperature":36.5,"mask":true}'
python3 -c 'print("{\"person_id\":\"" + "P"*2000 + "\"}")' >big.json
bad oversized 413 "larger than 1024 bytes" @big.json
python3 -c 'import sys; sys.stdout.write("{\"person_id\":\"" + "P"*3000)' >chunked.json
req chunked POST /v1/entrance-checks -H 'Transfer-Encoding: chunked' --data-binary @chunked.json
equals "oversized, chunked" "$(status chunked)" 413
# Scope and roles: a device of G3 cannot check at R1 (G1): 404 as for an unknown place.
bad outside 404 "no place R1" "$(body P3 R1 36.5 true 02)"
TOKEN=$GRID req grid POST /v1/entrance-checks --data "$(body P3 R3 36.5 true 03)"
equals "a grid worker posts no checks" "$(status grid)" 403
TOKEN=fk_0000 req forged POST /v1/entrance-checks --data "$(body P3 R3 36.5 true 03)"
equals "unknown token" "$(status forged)" 401
contains forged.h "WWW-Authenticate: Bearer"
curl -s -o none.json -w '%{http_code}' -X POST "$U/v1/entrance-checks" --data "$(body P3 R3 36.5 true 03)" >none.status
equals "no token" "$(status none)" 401
equals "refused checks are not stored" "$(sqlite3 t.db "SELECT count(*) FROM entrance_checks e JOIN places p ON p.id = e.place WHERE p.place_id = 'R1' OR e.at = 1657501380")" 1
req nowhere GET /v1/nowhere
equals "unknown route" "$(status nowhere)" 404
contains nowhere.h "application/problem+json"
req method DELETE /v1/health
equals "wrong method" "$(status method)" 405

# A client that sends half a request and stalls is cut off after --timeout; others are served.
python3 - "$U" >stall.txt <<'EOF'
import socket, sys, time
host, port = sys.argv[1].split("//")[1].split(":")
s = socket.create_connection((host, int(port)))
s.sendall(b"POST /v1/entrance-checks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"person")
s.settimeout(10)
t = time.time()
try:
    data = s.recv(100)
except Exception as e:
    data = b"error"
print("closed" if data == b"" or data.startswith(b"HTTP") else "open", round(time.time() - t))
EOF
equals "stalled client cut off" "$(cut -d' ' -f1 stall.txt)" closed
req after GET /v1/health
equals "served after the stall" "$(status after)" 200

# Concurrent checks: every one answered 200 is stored, once.
before=$(sqlite3 t.db 'SELECT count(*) FROM entrance_checks')
pids=()
for i in $(seq 10 49); do
  req "c$i" POST /v1/entrance-checks --data "$(body P3 R3 36.5 true "$i")" &
  pids+=($!)
done
wait "${pids[@]}"
ok=0
for i in $(seq 10 49); do [ "$(status "c$i")" = 200 ] && ok=$((ok + 1)); done
equals "concurrent answers" "$ok" 40
after=$(sqlite3 t.db 'SELECT count(*) FROM entrance_checks')
equals "stored before answered" "$((after - before))" 40

req metrics GET /v1/metrics
contains metrics.h "text/plain"
contains metrics.json 'fangkong_http_requests_total{class="2xx"}'
equals "checks counted" "$(sed -n 's/^fangkong_entrance_checks_total //p' metrics.json)" 44
batched=$(sed -n 's/^fangkong_writer_batched_total //p' metrics.json)
equals "every check in a batch" "$((batched >= 44))" 1

# A person: only within the token's node (else 404 as unknown); personal data masked unless the
# role needs it whole; the same JSON as `fangkong person show` besides; every read audited.
TOKEN=$DIST req p3 GET /v1/persons/P3
equals "person in the district" "$(status p3)" 200
id3=$(idnum 5)
equals "masked" "$(pj p3.json '[d["name"], d["id_number"], d["phone"], d["masked"], d["code"]]')" "[\"王*\",\"${id3:0:6}********${id3:14:4}\",\"138****5670\",true,\"green\"]"
lacks p3.json "王五一"
lacks p3.json "13812345670"
TOKEN=$DIST req p1 GET /v1/persons/P1
equals "a person of another district" "$(status p1)" 404
contains p1.json "no person P1"
TOKEN=$DIST req p9 GET /v1/persons/P9
equals "an unknown person, the same answer" "$(pj p9.json '[d["status"], d["detail"]]')" '[404,"no person P9"]'
TOKEN=$EPI req p2 GET "/v1/persons/P2?now=2022-07-11T09:00:00%2B08:00"
equals "epidemiologist" "$(status p2)" 200
equals "whole" "$(pj p2.json '[d["name"], d["phone"], d["masked"], d["code"]]')" '["李四光","13812345679",false,"red"]'
expect 0 "person show" -- "$B" person show P2 --db t.db --now 2022-07-11T09:00:00+08:00
equals "person = person show" "$(pj p2.json 'json.dumps({k: v for k, v in d.items() if k not in ("name", "id_number", "phone", "masked")}, ensure_ascii=False, separators=(",", ":"))')" "$(cat out.txt)"
equals "measures shown" "$(pj p2.json 'len(d["measures"]) > 0')" true
req devperson GET /v1/persons/P3
equals "an entrance device reads no person" "$(status devperson)" 403
TOKEN=$EPI req badnow GET "/v1/persons/P2?now=soon"
equals "bad now" "$(status badnow)" 400

# Risk areas: every role reads them, the same rows as `fangkong area list`.
TOKEN=$GRID req areas GET /v1/areas
equals "areas" "$(status areas)" 200
expect 0 "area list" -- "$B" area list --db t.db
equals "areas = area list" "$(cat areas.json)" "$(cat out.txt)"
equals "an area in force" "$(pj areas.json '[a["area_id"] for a in d][:1]')" '["G1"]'
TOKEN=$GRID req areas2 GET "/v1/areas?now=2022-07-01T09:00:00%2B08:00"
equals "none before the case" "$(cat areas2.json)" "[]"
expect 0 "area list then" -- "$B" area list --db t.db --now 2022-07-01T09:00:00+08:00
equals "areas then = area list" "$(cat areas2.json)" "$(cat out.txt)"

# Tasks: those of the token's node, as `fangkong task list` gives them for that node.
same() { python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print("same" if a == b else "differ", len(a))' "$1" "$2"; }
TOKEN=$EPI req tasks GET /v1/tasks
expect 0 "task list" -- "$B" task list --db t.db --format json
equals "tasks = task list" "$(same tasks.json out.txt | cut -d' ' -f1)" same
equals "there are tasks" "$(( $(same tasks.json out.txt | cut -d' ' -f2) > 0 ))" 1
TOKEN=$GRID req gtasks GET /v1/tasks
expect 0 "task list G1" -- "$B" task list --db t.db --format json --unit G1
equals "a grid's tasks" "$(same gtasks.json out.txt)" "same $(pj out.txt 'len(d)')"
TOKEN=$DIST req dtasks GET /v1/tasks
expect 0 "task list 迎泽区" -- "$B" task list --db t.db --format json --unit /迎泽区
equals "a district's tasks (none there)" "$(same dtasks.json out.txt)" "same 0"
TOKEN=$DIST req dtasks2 GET "/v1/tasks?unit=G1"
equals "another district's grid: nothing" "$(cat dtasks2.json)" "[]"
TOKEN=$EPI req stasks GET "/v1/tasks?status=created"
expect 0 "task list created" -- "$B" task list --db t.db --format json --status created
equals "by status" "$(same stasks.json out.txt | cut -d' ' -f1)" same
TOKEN=$EPI req btasks GET "/v1/tasks?status=lost"
equals "bad status" "$(status btasks)" 400
req devtasks GET /v1/tasks
equals "an entrance device lists no tasks" "$(status devtasks)" 403

# A unit's hand on a task: ack, then done with its proof; only a task of the token's node.
TID=$(pj tasks.json '[str(t["task_id"]) for t in d if t["unit"] == "G1" and t["status"] in ("created", "due")][0]')
TOKEN=$DIST req dack POST "/v1/tasks/$TID/ack"
equals "another district's task" "$(pj dack.json '[d["status"], d["detail"]]')" "[404,\"id: no task $TID\"]"
TOKEN=$GRID req ack POST "/v1/tasks/$TID/ack"
equals "acknowledged" "$(pj ack.json '[d["task_id"], d["status"]]')" "[$TID,\"acknowledged\"]"
TOKEN=$GRID req noproof POST "/v1/tasks/$TID/done" --data '{}'
equals "done needs a proof" "$(pj noproof.json '[d["status"], d["detail"]]')" '[400,"task done: proof: missing"]'
TOKEN=$GRID req done POST "/v1/tasks/$TID/done" --data '{"proof":"phoned, 已告知"}'
equals "done" "$(pj done.json '[d["status"], d["proof"]]')" '["done","phoned, 已告知"]'
TOKEN=$GRID req again2 POST "/v1/tasks/$TID/done" --data '{"proof":"again"}'
equals "a closed task is not changed" "$(status again2)" 409
TOKEN=$GRID req nottask POST /v1/tasks/x1/ack
equals "no such task" "$(status nottask)" 404
TOKEN=$GRID req notask POST /v1/tasks/999999/ack
equals "no task 999999" "$(status notask)" 404
req devack POST "/v1/tasks/$TID/ack"
equals "an entrance device acks nothing" "$(status devack)" 403
expect 0 "task list after" -- "$B" task list --db t.db --format json --unit G1
equals "stored" "$(pj out.txt '[t["status"] for t in d if t["task_id"] == '"$TID"']')" '["done"]'
# ... or closes it as failed, with why (未能完成).
FID=$(pj out.txt '[str(t["task_id"]) for t in d if t["status"] in ("created", "due")][0]')
TOKEN=$DIST req dfail POST "/v1/tasks/$FID/fail" --data '{"proof":"x"}'
equals "fail: another district's task" "$(status dfail)" 404
TOKEN=$GRID req nowhy POST "/v1/tasks/$FID/fail" --data '{"proof":""}'
equals "fail needs why" "$(pj nowhy.json '[d["status"], d["detail"]]')" '[400,"task fail: proof: must be a string of 1 to 127 characters"]'
TOKEN=$GRID req fail POST "/v1/tasks/$FID/fail" --data '{"proof":"no answer at the door, 无人应答"}'
equals "failed" "$(pj fail.json '[d["task_id"], d["status"], d["proof"]]')" "[$FID,\"failed\",\"no answer at the door, 无人应答\"]"
TOKEN=$GRID req refail POST "/v1/tasks/$FID/fail" --data '{"proof":"again"}'
equals "a failed task is closed" "$(status refail)" 409
expect 0 "task list failed" -- "$B" task list --db t.db --format json --status failed
equals "stored as failed" "$(pj out.txt '[t["task_id"] for t in d]')" "[$FID]"

# The audit log: one row for each check answered 200 -- who, what, when, from where.
expect 0 "audit" -- "$B" audit --db t.db
equals "audited checks" "$(grep -c 'POST /v1/entrance-checks' out.txt)" 44
contains out.txt "token 2 (entrance)  POST /v1/entrance-checks  person P3 at place R3  from 127.0.0.1"
contains out.txt "token 1 (city)  POST /v1/entrance-checks  person P2 at place R1  from 127.0.0.1"
lacks out.txt "person P3 at place R1"
contains out.txt "(district)  GET /v1/persons/{id}  person P3  from 127.0.0.1"
contains out.txt "(epidemiologist)  GET /v1/persons/{id}  person P2  from 127.0.0.1"
equals "audited reads" "$(grep -c 'GET /v1/persons' out.txt)" 2
contains out.txt "(grid)  POST /v1/tasks/{id}/ack  task $TID  from 127.0.0.1"
contains out.txt "(grid)  POST /v1/tasks/{id}/done  task $TID  from 127.0.0.1"
contains out.txt "(grid)  POST /v1/tasks/{id}/fail  task $FID  from 127.0.0.1"
equals "audited task changes" "$(grep -c 'POST /v1/tasks' out.txt)" 3
expect 0 "audit json" -- "$B" audit --db t.db --format json
equals "audit json" "$(head -1 out.txt | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["role"], d["object"], d["peer"])')" "entrance person P3 at place R3 127.0.0.1"

# SIGTERM: drains and exits 0.
kill -TERM "$pid"
wait "$pid"
equals "exit after SIGTERM" "$?" 0
contains serve.err "draining"
finish
