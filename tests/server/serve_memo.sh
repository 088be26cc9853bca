#!/usr/bin/env bash
# What the server keeps in memory between entrance checks (the places, the risk areas, the
# tokens' rows, the writer's maps of ids) follows changes made by other processes while it
# runs: a place imported later takes checks, a token created after the start works at once,
# and risk areas updated by `fangkong areas update` apply from the next check, the same answer
# as `fangkong check` then gives.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"
# pjs FILE EXPR: EXPR over the JSON in FILE (d), printed as compact JSON (strings quoted).
pjs() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$1" "$2"; }

serve_city --threads 2

# check NAME PERSON PLACE MINUTE: an entrance check at 2022-07-11 12:MINUTE; the answer in NAME.json.
check() {
  curl -s -o "$1.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    --data "{\"person_id\":\"$2\",\"place_id\":\"$3\",\"temperature\":36.5,\"mask\":true,\"at\":\"2022-07-11T12:$4:00+08:00\"}" \
    "$U/v1/entrance-checks" >"$1.status"
}

check before P2 R3 00
equals "before: G3 is no risk area" "$(cat before.status) $(pjs before.json '[d["grid_id"], d["area_level"]]')" '200 ["G3",null]'

# A place imported by another process after the server stored its first check-in (which loaded
# the writer's map of places) takes checks and their check-ins.
check pass P3 R3 00
equals "a pass, its check-in stored" "$(cat pass.status) $(pjs pass.json 'd["decision"]')" '200 "pass"'
printf 'place_id,name,kind,grid_id,lat,lon,capacity\nR4,四面馆,restaurant,G3,37.86,112.56,40\n' >places2.csv
expect 0 "import a place" -- "$B" import --db t.db places places2.csv
check newplace P3 R4 00
equals "the new place" "$(cat newplace.status) $(pjs newplace.json '[d["decision"], d["grid_id"]]')" '200 ["pass","G3"]'
equals "its check-in" "$(sqlite3 t.db "SELECT count(*) FROM checkins c JOIN places p ON p.id = c.place WHERE p.place_id = 'R4'")" 1

# Another process: a case living in G3, and the risk areas updated.
cat >cases2.csv <<'CSV'
person_id,kind,onset_date,sampled_at,isolated_at
P3,asymptomatic,,2022-07-11T10:00:00+08:00,2022-07-11T11:00:00+08:00
CSV
expect 0 "import the case" -- "$B" import --db t.db cases cases2.csv
expect 0 "areas update" -- "$B" areas update --db t.db --now 2022-07-11T11:30:00+08:00
sqlite3 t.db "VACUUM INTO 'ref.db'"
check after P2 R3 01
equals "after: G3's level applies" "$(cat after.status) $(pjs after.json 'd["area_level"] is not None and "area_" + d["area_level"] in [r["key"] for r in d["reasons"]]')" '200 true'
expect 0 "the command on a copy" -- "$B" check P2 R3 --db ref.db --at 2022-07-11T12:01:00+08:00 --temperature 36.5 --mask 1
equals "after = check" "$(cat after.json)" "$(cat out.txt)"

# A token created while the server runs is known at once (an unknown hash is read each time).
expect 0 "token later" -- "$B" token create --db t.db --role entrance --scope G3
LATER=$(cat out.txt)
TOKEN=$LATER check later P3 R3 02
equals "a new token works at once" "$(cat later.status)" 200
TOKEN=fk_0000 check forged P3 R3 03
equals "an unknown one does not" "$(cat forged.status)" 401

# A check posted twice is stored once (recorded false the second time) and audited twice: once
# by its own row, once in the audit log.
audited() { "$B" audit --db t.db | grep -c 'POST /v1/entrance-checks  person P2 at place R3'; }
was=$(audited)
check dup1 P2 R3 30
check dup2 P2 R3 30
equals "posted twice" "$(pjs dup1.json 'd["recorded"]') $(pjs dup2.json 'd["recorded"]')" "true false"
equals "audited twice" "$(($(audited) - was))" 2
equals "stored once" "$(sqlite3 t.db "SELECT count(*) FROM entrance_checks WHERE at = strftime('%s', '2022-07-11T12:30:00+08:00')")" 1

# A token taken out of the store stops working once its row's life in the cache (10 s) is over,
# also on a connection kept alive (asked every 2 s), which remembers its token's row between
# requests.
expect 0 "token to remove" -- "$B" token create --db t.db --role city --scope city
GONE=$(cat out.txt)
python3 - "$U" "$GONE" >kept.txt <<'PY'
import http.client, subprocess, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port)
def ask(minute):
    body = '{"person_id":"P3","place_id":"R3","temperature":36.5,"mask":true,"at":"2022-07-11T13:%02d:00+08:00"}' % minute
    c.request("POST", "/v1/entrance-checks", body, {"Authorization": "Bearer " + sys.argv[2]})
    r = c.getresponse(); r.read()
    return r.status
first = ask(0)
subprocess.run(["sqlite3", "t.db", "UPDATE api_tokens SET hash = 'gone' WHERE id = (SELECT max(id) FROM api_tokens)"], check=True)
later = []
for m in range(1, 8):  # 12 s
    if m > 1:
        time.sleep(2)
    later.append(ask(m))
print(first, later[0], later[-1])
PY
equals "a removed token: works until its life ends, then not" "$(cat kept.txt)" "200 200 401"

kill -TERM "$pid"
wait "$pid"
expect 0 "verify" -- "$B" verify --db t.db
finish
