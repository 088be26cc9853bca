#!/usr/bin/env bash
# GET /v1/persons/{id}/contacts on a small city built here: the contacts the test knows by
# construction (household, a shared table, a secondary contact), byte-equal to `fangkong trace
# --case ID --format json` of the same store at depth 1 and 2 and merged, each role in and out
# of its node, unknown persons and non-cases, bad arguments, the audit trail, and the trace
# index's freshness: a check-in posted through the API (an entrance check, a feed) shows among
# the contacts within a second (the delays are printed), and the refreshed index still equals a
# fresh trace of the store.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

# make_city's P1 (a case, isolated 2022-07-10 18:00) and P2 (household H1) in G1, P3 in G3;
# here P4 of P3's household, and P5 in G1 who will be checked in through the API. P1 and P3
# shared restaurant R1 on 07-09 for 40 minutes.
make_city
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  echo "P4,$(idnum 7),赵六合,M,1990-01-01,13812345671,H3,G3,"
  echo "P5,$(idnum 9),钱七星,M,1990-01-01,13812345672,H5,G1,"
} >more.csv
cat >checkins.csv <<'EOF'
person_id,place_id,checkin_at,checkout_at
P1,R1,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00
P3,R1,2022-07-09T12:10:00+08:00,2022-07-09T12:50:00+08:00
EOF
cat >sites.csv <<'EOF'
site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,resident_channel,staff,allows_households
S1,小店区集中隔离点1号,G1,37.741,112.561,清洁区,缓冲区,污染区,员工通道,隔离人员通道,12,1
EOF
expect 0 "import a site" -- "$B" import --db t.db sites sites.csv
expect 0 "import more persons" -- "$B" import --db t.db persons more.csv
expect 0 "import checkins" -- "$B" import --db t.db checkins checkins.csv
NOW=2022-07-11T08:00:00%2B08:00 NOWT=2022-07-11T08:00:00+08:00

tok() { "$B" token create --db t.db --role "$1" --scope "$2" && true; }
CITY=$(tok city city) EPI=$(tok epidemiologist city) DXD=$(tok district /小店区)
DYZ=$(tok district /迎泽区) STR=$(tok street /小店区/坞城街道) COM=$(tok community /迎泽区/柳巷街道/柳巷社区)
GRID=$(tok grid G1) DEV=$(tok entrance G1) SITE=$(tok site S1)
equals "tokens" "$(printf '%s\n' "$CITY" "$EPI" "$DXD" "$DYZ" "$STR" "$COM" "$GRID" "$DEV" "$SITE" | grep -cE '^fk_[0-9a-f]{64}$')" 9

start_server --threads 2
# get NAME TOKEN PATH: status to NAME.status, body to NAME.json.
get() { curl -s -o "$1.json" -w '%{http_code}' -H "Authorization: Bearer $2" "$U$3" >"$1.status"; }
status() { cat "$1.status"; }
contains serve.err "trace index of 2 check-ins built"

# What the test knows: P2 by the household, P3 at R1 (close contacts), P4 of P3's household
# (secondary, via P3); never P5 (not yet anywhere) nor P1 itself.
get d2 "$EPI" "/v1/persons/P1/contacts?now=$NOW"
equals "depth 2" "$(status d2)" 200
equals "depth 2 contacts" "$(pj d2.json '[[c["contact_person_id"], c["degree"], c["category"], c["via_person_id"], c["places"]] for t in d["traces"] for c in t["contacts"]]')" \
  '[["P2",1,"close",null,"household"],["P3",1,"close",null,"R1"],["P4",2,"close","P3","household"]]'
equals "evidence" "$(pj d2.json '[(e["place_id"], e["start"], e["end"]) for c in d["traces"][0]["contacts"] if c["contact_person_id"] == "P3" for e in c["evidence"]]')" \
  '[["R1","2022-07-09T12:10:00+08:00","2022-07-09T12:50:00+08:00"]]'
equals "window" "$(pj d2.json '[d["traces"][0]["window_start"], d["traces"][0]["window_end"]]')" \
  '["2022-07-06T00:00:00+08:00","2022-07-10T18:00:00+08:00"]'
contains d2.status 200
expect 0 "trace depth 2" -- "$B" trace --db t.db --case P1 --now "$NOWT" --format json
cmp -s d2.json out.txt || { echo "FAIL: depth 2 differs from fangkong trace"; diff d2.json out.txt; fails=$((fails + 1)); }

get d1 "$CITY" "/v1/persons/P1/contacts?now=$NOW&depth=1"
equals "depth 1" "$(status d1)" 200
equals "depth 1 contacts" "$(pj d1.json '[c["contact_person_id"] for c in d["traces"][0]["contacts"]]')" '["P2","P3"]'
expect 0 "trace depth 1" -- "$B" trace --db t.db --case P1 --now "$NOWT" --depth 1 --format json
cmp -s d1.json out.txt || { echo "FAIL: depth 1 differs from fangkong trace"; diff d1.json out.txt; fails=$((fails + 1)); }
# An isolated case traced to depth 1 needs no now, as on the command line.
get nonow "$CITY" "/v1/persons/P1/contacts?depth=1"
equals "depth 1 without now" "$(status nonow)" 200
expect 0 "trace depth 1 without now" -- "$B" trace --db t.db --case P1 --depth 1 --format json
cmp -s nonow.json out.txt || { echo "FAIL: depth 1 without now differs"; fails=$((fails + 1)); }
get merged "$DXD" "/v1/persons/P1/contacts?now=$NOW&merge=1"
equals "merged" "$(status merged)" 200
equals "merged contacts" "$(pj merged.json '[c["contact_person_id"] for c in d["contacts"]]')" '["P2","P3","P4"]'
expect 0 "trace merged" -- "$B" trace --db t.db --case P1 --now "$NOWT" --merge --format json
cmp -s merged.json out.txt || { echo "FAIL: merged differs from fangkong trace"; fails=$((fails + 1)); }
lacks d2.json "张"   # contacts are person ids: no names in the answer
lacks d2.json "1381"

# Roles and scope: city, epidemiologist, and the district, street, community of the case's
# home; another node's command gets 404 as for an unknown person; other roles 403.
get street "$STR" "/v1/persons/P1/contacts?now=$NOW"
equals "street of the case" "$(status street)" 200
get other "$DYZ" "/v1/persons/P1/contacts?now=$NOW"
equals "another district" "$(status other)" 404
equals "404 says no person" "$(pj other.json 'd["detail"]')" "no person P1"
get com "$COM" "/v1/persons/P1/contacts?now=$NOW"
equals "another community" "$(status com)" 404
for role in GRID DEV SITE; do
  get "r$role" "${!role}" "/v1/persons/P1/contacts?now=$NOW"
  equals "$role forbidden" "$(status "r$role")" 403
done
get notoken "" "/v1/persons/P1/contacts?now=$NOW"
equals "no token" "$(status notoken)" 401

# Unknown persons, non-cases, bad arguments.
get unknown "$CITY" "/v1/persons/P9/contacts?now=$NOW"
equals "unknown person" "$(status unknown)" 404
get long "$CITY" "/v1/persons/$(printf 'P%.0s' $(seq 80))/contacts"
equals "overlong id" "$(status long)" 404
get notcase "$CITY" "/v1/persons/P3/contacts?now=$NOW"
equals "not a case" "$(status notcase)" 409
contains notcase.json "P3 is not a case"
get notcase_out "$DXD" "/v1/persons/P3/contacts?now=$NOW"
equals "a non-case outside the node is 404 too" "$(status notcase_out)" 404
for q in "now=yesterday" "now=2022-07-11T08:00:00" "depth=3" "depth=x" "depth=12" "merge=2" "merge=yes" "" "depth=2"; do
  get bad "$CITY" "/v1/persons/P1/contacts?$q"
  equals "bad '$q'" "$(status bad)" 400
done
contains bad.json "now: required: case P1 is not isolated yet, or depth 2 asks for it"
curl -s -o post.json -w '%{http_code}' -X POST -H "Authorization: Bearer $CITY" "$U/v1/persons/P1/contacts" >post.status
equals "POST contacts" "$(status post)" 405

# The audit log: a row for each contacts read answered 200, none for the refused ones.
expect 0 "audit" -- "$B" audit --db t.db
contains out.txt "(epidemiologist)  GET /v1/persons/{id}/contacts  contacts of person P1  from 127.0.0.1"
contains out.txt "(district)  GET /v1/persons/{id}/contacts  contacts of person P1  from 127.0.0.1"
contains out.txt "(street)  GET /v1/persons/{id}/contacts  contacts of person P1  from 127.0.0.1"
equals "audited contact reads" "$(grep -c 'GET /v1/persons/{id}/contacts' out.txt)" 5
lacks out.txt "contacts of person P3"

# Freshness: P5 checks in at R1 while P1 was there; the contact shows within a second.
body='{"person_id":"P5","place_id":"R1","temperature":36.5,"mask":true,"at":"2022-07-09T12:20:00+08:00"}'
ms() { echo $(($(date +%s%N) / 1000000)); }
code=$(curl -s -o check.json -w '%{http_code}' -H "Authorization: Bearer $CITY" -d "$body" "$U/v1/entrance-checks")
t0=$(ms) seen=
while [ $(($(ms) - t0)) -lt 3000 ]; do
  get fresh "$EPI" "/v1/persons/P1/contacts?now=$NOW&depth=1"
  grep -q '"contact_person_id": "P5"' fresh.json && { seen=$(($(ms) - t0)); break; }
  sleep 0.01
done
equals "check-in posted" "$code" 200
equals "passed and recorded" "$(pj check.json '[d["decision"], d["recorded"]]')" '["pass",true]'
echo "freshness: the new contact showed ${seen:-never} ms after its check-in was answered"
[ -n "$seen" ] && [ "$seen" -lt 1000 ] || { echo "FAIL: the check-in was not seen within 1 s"; fails=$((fails + 1)); }
equals "new contact" "$(pj fresh.json '[[c["contact_person_id"], c["places"], c["first_exposure"]] for c in d["traces"][0]["contacts"] if c["contact_person_id"] == "P5"]')" \
  '[["P5","R1","2022-07-09T12:20:00+08:00"]]'
# A check-in posted in a feed (POST /v1/feeds/checkins, stored by the writer) is seen too: P4,
# so far only a secondary contact, at R1 with P1 becomes a contact of depth 1.
printf 'person_id,place_id,checkin_at,checkout_at\nP4,R1,2022-07-09T12:15:00+08:00,2022-07-09T12:45:00+08:00\n' >feed.csv
code=$(curl -s -o feed.json -w '%{http_code}' -H "Authorization: Bearer $CITY" -H 'Content-Type: text/csv' --data-binary @feed.csv "$U/v1/feeds/checkins")
t0=$(ms) seen=
while [ $(($(ms) - t0)) -lt 3000 ]; do
  get fresh4 "$EPI" "/v1/persons/P1/contacts?now=$NOW&depth=1"
  grep -q '"contact_person_id": "P4"' fresh4.json && { seen=$(($(ms) - t0)); break; }
  sleep 0.01
done
equals "feed posted" "$code" 200
echo "freshness: a check-in of a feed showed ${seen:-never} ms after the feed was answered"
[ -n "$seen" ] && [ "$seen" -lt 1000 ] || { echo "FAIL: the feed's check-in was not seen within 1 s"; fails=$((fails + 1)); }
# The refreshed index answers as an index built afresh from the store.
get after "$EPI" "/v1/persons/P1/contacts?now=$NOW"
expect 0 "trace after" -- "$B" trace --db t.db --case P1 --now "$NOWT" --format json
cmp -s after.json out.txt || { echo "FAIL: the refreshed index differs from fangkong trace"; diff after.json out.txt; fails=$((fails + 1)); }
curl -s "$U/v1/metrics" >metrics.txt
contains metrics.txt "fangkong_trace_refreshed_checkins_total 2"

# Readers during refreshes: four readers trace P1 while check-ins elsewhere (P3 and P4 at R3,
# each a commit and a refresh) are posted; every answer is whole and the same.
for i in $(seq 0 19); do
  printf '{"person_id":"P%s","place_id":"R3","temperature":36.5,"mask":true,"at":"2022-07-12T10:%02d:00+08:00"}\n' $((3 + i % 2)) "$i"
done >posts.txt
(while read -r b; do curl -s -o /dev/null -H "Authorization: Bearer $CITY" -d "$b" "$U/v1/entrance-checks"; done <posts.txt) &
poster=$!
readers=()
for k in 1 2 3 4; do
  (for i in $(seq 10); do
    curl -s -H "Authorization: Bearer $EPI" "$U/v1/persons/P1/contacts?now=$NOW" >"conc$k.$i.json"
  done) &
  readers+=($!)
done
wait "$poster" "${readers[@]}"
equals "concurrent reads" "$(for f in conc*.json; do cmp -s "$f" after.json && echo same; done | wc -l)" 40
for _ in $(seq 20); do # the last check's refresh comes within the gap
  curl -s "$U/v1/metrics" >metrics.txt
  grep -q "fangkong_trace_refreshed_checkins_total 22" metrics.txt && break
  sleep 0.1
done
contains metrics.txt "fangkong_trace_refreshed_checkins_total 22"

kill -TERM "$pid"
wait "$pid"
equals "exit after SIGTERM" "$?" 0

# A long --trace-gap holds a refresh back, never the stop: the refresher waiting out its gap
# leaves at once on SIGTERM.
start_server --trace-gap 60000
for m in 30 31; do
  curl -s -o /dev/null -H "Authorization: Bearer $CITY" "$U/v1/entrance-checks" \
    -d '{"person_id":"P4","place_id":"R3","temperature":36.5,"mask":true,"at":"2022-07-12T11:'$m':00+08:00"}'
done
t0=$(ms)
kill -TERM "$pid"
wait "$pid"
equals "exit after SIGTERM within the gap" "$?" 0
[ $(($(ms) - t0)) -lt 5000 ] || { echo "FAIL: the stop waited for the refresh gap"; fails=$((fails + 1)); }
expect 2 "bad gap" -- "$B" serve --db t.db --trace-gap 60001
contains err.txt "--trace-gap 0..60000 ms"
finish
