#!/usr/bin/env bash
# `fangkong sites allocate`, `fangkong site list` and the `site` of `person show` on a small
# town: feeds sites.csv and rooms.csv with their rejects, usage errors, rooms given and stays
# ended as worked out by hand, idempotence, occupancy per day, no personal data.
#
# Six residents of grid G1 arrive from abroad on 2022-07-10 08:00 (protocol-9: centralized
# quarantine 07-11..07-17, from the arrival). P2 and P3 share household H2; P4 was born in 1950
# (72: accessible room first). S1 is beside G1 (single 101, family 102 of 3 beds, households
# allowed); S2 is 17.8 km north (single 201, accessible 203, no households). Served in person
# order: P1 S1/101, P2+P3 S1/102 together, P4 S2/203, P5 S2/201, P6 waits (nearest: S1).
# P2 becomes a case on 07-12 (hospital): out at 07-12 12:00; P3 keeps room 102 alone (P6 still
# waits: no stranger joins). Everyone else out 07-18 00:00.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

cat >grids.csv <<'EOF'
grid_id,name,community,street,district,lat,lon
G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56
G2,二网格,北社区,北街道,杏花岭区,37.90,112.56
EOF
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  n=1
  for p in P1 P2 P3 P4 P5 P6; do
    h=H$p birth=1990-01-01 id=$(idnum $n)
    [ $p = P3 ] && h=HP2
    [ $p = P4 ] && birth=1950-01-01 id=$(idnum_of "14010519500101$(printf %03d $n)")
    echo "$p,$id,张三丰,M,$birth,13812345678,$h,G1,"
    n=$((n + 2))
  done
} >persons.csv
cat >sites.csv <<'EOF'
site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,resident_channel,staff,allows_households
S1,小店区集中隔离点1号,G1,37.741,112.561,清洁区: 北楼1层,缓冲区: 北楼2层走廊,污染区: 主楼2-12层,员工通道: 北门,隔离人员通道: 南门,12,1
S2,杏花岭区集中隔离点1号,G2,37.90,112.56,清洁区: 西楼,缓冲区: 西楼1层,污染区: 东楼,员工通道: 西门,隔离人员通道: 东门,8,0
S3,无通道,G1,37.70,112.50,清洁区,缓冲区,污染区,,隔离人员通道,3,1
S4,无网格,G9,37.70,112.50,清洁区,缓冲区,污染区,员工通道,隔离人员通道,3,1
EOF
cat >rooms.csv <<'EOF'
site_id,room_id,kind,beds
S1,101,single,1
S1,102,family,3
S2,201,single,1
S2,203,accessible,1
S1,103,single,2
S1,104,family,1
S9,901,single,1
S1,105,suite,1
S1,101,single,1
S1,101,family,2
EOF
echo "person_id,arrived_at,origin,port,international" >arrivals.csv
for p in P1 P2 P3 P4 P5 P6; do echo "$p,2022-07-10T08:00:00+08:00,首尔,太原武宿国际机场,1" >>arrivals.csv; done

expect 3 "import (some rows rejected)" -- "$B" import --db t.db .
contains err.txt "sites.csv: read 4, stored 2, duplicate 0, rejected 2"
contains err.txt "rooms.csv: read 10, stored 4, duplicate 1, rejected 5"
contains sites.csv.rejects.csv "4,staff_channel,required field is empty"
contains sites.csv.rejects.csv "5,grid_id,unknown grid_id 'G9' (not in grids)"
contains rooms.csv.rejects.csv '6,beds,"a single room has 1 bed, not 2"'
contains rooms.csv.rejects.csv "7,beds,a family room has at least 2 beds"
contains rooms.csv.rejects.csv "8,site_id,unknown site_id 'S9' (not in sites)"
contains rooms.csv.rejects.csv "9,kind,'suite' is not one of the allowed values"
contains rooms.csv.rejects.csv "11,site_id,a stored rooms row has the same key"
expect 0 "export sites" -- "$B" export sites --db t.db
contains out.txt "S2,杏花岭区集中隔离点1号,G2,37.9,112.56,清洁区: 西楼,缓冲区: 西楼1层,污染区: 东楼,员工通道: 西门,隔离人员通道: 东门,8,0"

NOW=2022-07-10T12:00:00+08:00
expect 0 "measures" -- "$B" measures apply --db t.db --now $NOW
expect 2 "allocate without --now" -- "$B" sites allocate --db t.db
expect 2 "allocate, bad --now" -- "$B" sites allocate --db t.db --now 2022-07-10
expect 2 "unknown subcommand" -- "$B" sites free --db t.db
expect 1 "allocate, no store" -- "$B" sites allocate --db none.db --now $NOW
expect 0 "allocate" -- "$B" sites allocate --db t.db --now $NOW
contains err.txt "need a room 6: housed 5, waiting 1 (new 1); admitted 5 (with household 2), discharged 0"
expect 0 "allocate again" -- "$B" sites allocate --db t.db --now $NOW
contains err.txt "written 0"

room_of() { "$B" person show "$1" --db t.db ${2:+--now "$2"} >p.json && pj p.json 'd["site"] and "%s %s/%s" % (d["site"]["status"], d["site"]["site_id"], d["site"]["room_id"])'; }
equals "P1" "$(room_of P1)" "in S1/101"
equals "P2" "$(room_of P2)" "in S1/102"
equals "P3" "$(room_of P3)" "in S1/102"
equals "P4" "$(room_of P4)" "in S2/203"
equals "P5" "$(room_of P5)" "in S2/201"
equals "P6" "$(room_of P6)" "waiting S1/None"
lacks p.json "张三丰"
lacks p.json "13812345678"

expect 0 "site list" -- "$B" site list --db t.db
cp out.txt list.json
equals "site keys" "$(pj list.json 'list(d[0])')" \
  '["site_id","name","grid_id","lat","lon","staff","allows_households","zones","rooms","capacity","beds","occupied","persons","free","waiting"]'
equals "zones" "$(pj list.json 'd[0]["zones"]')" \
  '{"clean_zone":"清洁区: 北楼1层","buffer_zone":"缓冲区: 北楼2层走廊","contaminated_zone":"污染区: 主楼2-12层","staff_channel":"员工通道: 北门","resident_channel":"隔离人员通道: 南门"}'
equals "occupancy" "$(pj list.json '[[s["site_id"], s["capacity"], s["beds"], s["occupied"], s["persons"], s["free"], s["waiting"]] for s in d]')" \
  '[["S1",2,4,2,3,0,1],["S2",2,2,2,2,0,0]]'
expect 0 "site list text" -- "$B" site list --db t.db --format text
contains out.txt "集中隔离点"
expect 2 "site list, --from alone" -- "$B" site list --db t.db --from 2022-07-10
expect 2 "site list, bad range" -- "$B" site list --db t.db --from 2022-07-10 --to 2022-07-09
expect 2 "site list, bad format" -- "$B" site list --db t.db --format xml

# P2 becomes a case: hospital, out of the site at the time of the run.
cat >cases.csv <<'EOF'
person_id,kind,onset_date,sampled_at,isolated_at
P2,confirmed,2022-07-12,2022-07-12T09:00:00+08:00,2022-07-12T11:00:00+08:00
EOF
expect 0 "import case" -- "$B" import --db t.db cases cases.csv
expect 0 "measures 07-12" -- "$B" measures apply --db t.db --now 2022-07-12T12:00:00+08:00
expect 0 "allocate 07-12" -- "$B" sites allocate --db t.db --now 2022-07-12T12:00:00+08:00
contains err.txt "discharged 1, written 1"
"$B" person show P2 --db t.db >p2.json
equals "P2 left" "$(pj p2.json '[d["site"][k] for k in ("status", "to", "end_reason")]')" \
  '["left","2022-07-12T12:00:00+08:00","measure superseded: now case under hospital"]'
equals "P2 as of 07-11" "$(room_of P2 2022-07-11T00:00:00+08:00)" "in S1/102"
equals "P3 stays" "$(room_of P3)" "in S1/102"
equals "P6 still waits" "$(room_of P6)" "waiting S1/None"

expect 0 "allocate 07-18" -- "$B" sites allocate --db t.db --now 2022-07-18T09:00:00+08:00
contains err.txt "need a room 0: housed 0, waiting 0 (new 0); admitted 0 (with household 0), discharged 4"
"$B" person show P1 --db t.db >p1.json
equals "P1 out" "$(pj p1.json '[d["site"][k] for k in ("status", "to", "end_reason")]')" \
  '["left","2022-07-18T00:00:00+08:00","centralized quarantine ended 2022-07-17 (its last day)"]'

expect 0 "site list per day" -- "$B" site list --db t.db --from 2022-07-10 --to 2022-07-18
equals "S1 per day" "$(pj out.txt '[[x["date"][5:], x["persons"], x["occupied"], x["free"], x["admitted"], x["discharged"], x["waiting"]] for x in d[0]["days"]]')" \
  '[["07-10",3,2,0,3,0,1],["07-11",3,2,0,0,0,1],["07-12",2,2,0,0,1,1],["07-13",2,2,0,0,0,1],["07-14",2,2,0,0,0,1],["07-15",2,2,0,0,0,1],["07-16",2,2,0,0,0,1],["07-17",0,0,2,0,2,1],["07-18",0,0,2,0,0,0]]'
equals "S2 per day" "$(pj out.txt '" ".join(str(x["persons"]) for x in d[1]["days"])')" "2 2 2 2 2 2 2 0 0"
expect 0 "site list as of 07-11" -- "$B" site list --db t.db --now 2022-07-11T12:00:00+08:00
equals "as of 07-11" "$(pj out.txt '[[s["persons"], s["waiting"]] for s in d]')" '[[3,1],[2,0]]'

printf '%s\n' '{"site_id":"S2","room_id":"204","kind":"family","beds":4}' \
  '{"site_id":"S2","room_id":"205","kind":"family","beds":1}' >more.ndjson
expect 3 "import rooms as NDJSON" -- "$B" import --db t.db rooms more.ndjson
contains more.ndjson.rejects.csv "2,beds,a family room has at least 2 beds"
expect 0 "site list, a room more" -- "$B" site list --db t.db
equals "S2 rooms" "$(pj out.txt 'd[1]["rooms"]')" '{"single":1,"family":1,"accessible":1}'

# The rule set's sites section is checked like the rest.
sed 's/"from_age": 65/"from_age": 200/; s/"together": true/"together": "yes"/' "$S/rules/protocol-9.json" >bad.json
expect 1 "rules check, bad sites" -- "$B" rules check bad.json
contains out.txt "bad.json: sites.households.together: required: true or false"
contains out.txt "bad.json: sites.accessible.from_age: 200 is outside 0..150"
expect 0 "rules show" -- "$B" rules show --format json
equals "sites rules" "$(pj out.txt '[d["sites"]["households_together"], d["sites"]["accessible_from_age"]]')" '[true,65]'
finish
