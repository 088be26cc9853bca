#!/usr/bin/env bash
# `fangkong areas update` and `fangkong area list` on a small city: exit codes, the JSON keys of
# area list (exactly those of issue 4), the level history worked out by hand from the protocol
# (docs/AREAS.md), the text for officials, protocol-10, idempotence, and an arrival with left_at.
#
# G1 and G2 in 小店区. P1 (home G1) is a case sampled 07-10 10:00 who ate at R2 (G2) on 07-09.
# Protocol-9: G1 high from 07-10; everyone negative on day 7 (07-17): medium from 07-18; 3 more
# days: lifted 07-21. G2 medium from 07-10; negative on 07-17: lifted 07-18. 小店区 low
# 07-10..07-20. Protocol-10: G1 high 07-10, 5 days: lifted 07-16; a restaurant draws no area.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

cat >grids.csv <<'EOF2'
grid_id,name,community,street,district,lat,lon
G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56
G2,二网格,坞城社区,坞城街道,小店区,37.74,112.56
EOF2
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  echo "P1,$(idnum 1),张三丰,M,1990-01-01,13812345678,H1,G1,"
  echo "P2,$(idnum 3),李四,M,1990-01-01,,H1,G1,"
  echo "P3,$(idnum 5),王五,M,1990-01-01,,H3,G2,"
  echo "P7,$(idnum 7),赵六,M,1990-01-01,,H7,G2,"
} >persons.csv
cat >places.csv <<'EOF2'
place_id,name,kind,grid_id,lat,lon,capacity
R2,面馆,restaurant,G2,37.74,112.56,40
EOF2
cat >checkins.csv <<'EOF2'
person_id,place_id,checkin_at,checkout_at
P1,R2,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00
EOF2
cat >cases.csv <<'EOF2'
person_id,kind,onset_date,sampled_at,isolated_at
P1,asymptomatic,,2022-07-10T10:00:00+08:00,2022-07-10T18:00:00+08:00
EOF2
cat >samples.csv <<'EOF2'
sample_id,pool_id,person_id,sampled_at,site_id,result,reported_at
S1,,P2,2022-07-17T10:00:00+08:00,SITE1,negative,
S2,,P3,2022-07-17T10:00:00+08:00,SITE1,negative,
EOF2
cat >arrivals.csv <<'EOF2'
person_id,arrived_at,origin,port,international,left_at
P7,2022-07-19T10:00:00+08:00,G1,太原南站,0,2022-07-16T20:00:00+08:00
EOF2
for f in grids persons places checkins cases samples arrivals; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done
cp t.db t10.db
cat >bad_arrivals.csv <<'EOF2'
person_id,arrived_at,origin,port,international,left_at
P3,2022-07-19T10:00:00+08:00,G1,,0,2022-07-20T10:00:00+08:00
EOF2
expect 3 "an arrival that left after it arrived" -- "$B" import --db t.db arrivals bad_arrivals.csv
contains bad_arrivals.csv.rejects.csv "arrived_at is before left_at"

expect 2 "update without --now" -- "$B" areas update --db t.db
expect 2 "update, bad --now" -- "$B" areas update --db t.db --now tomorrow
expect 2 "unknown subcommand" -- "$B" area remove --db t.db
expect 2 "unknown format" -- "$B" area list --db t.db --format xml
expect 0 "list before any update" -- "$B" area list --db t.db
equals "no areas yet" "$(cat out.txt)" "[]"

expect 0 "update 07-10" -- "$B" areas update --db t.db --now 2022-07-10T12:00:00+08:00
contains err.txt "high 1, medium 1, low 1"
expect 0 "update 07-10 again" -- "$B" areas update --db t.db --now 2022-07-10T12:00:00+08:00
contains err.txt "written 0"
expect 0 "list" -- "$B" area list --db t.db --format json
cp out.txt list.json
equals "keys" "$(pj list.json '[sorted(a) for a in d][0]')" '["area_id","level","lifts_on","reason","since"]'
equals "areas" "$(pj list.json '[[a["area_id"], a["level"], a["since"], a["lifts_on"]] for a in d]')" \
  '[["G1","high","2022-07-10","2022-07-21"],["G2","medium","2022-07-10","2022-07-18"],["小店区","low","2022-07-10","2022-07-21"]]'
equals "reason" "$(pj list.json 'd[0]["reason"]')" "home of case P1 (sampled 2022-07-10)"
lacks list.json "张三丰"
lacks list.json "13812345678"

expect 0 "update 07-19" -- "$B" areas update --db t.db --now 2022-07-19T12:00:00+08:00
expect 0 "list 07-19" -- "$B" area list --db t.db
equals "07-19" "$(pj out.txt '[[a["area_id"], a["level"], a["since"], a["lifts_on"]] for a in d]')" \
  '[["G1","medium","2022-07-18","2022-07-21"],["小店区","low","2022-07-10","2022-07-21"]]'
expect 0 "list at 07-15 from the history" -- "$B" area list --db t.db --now 2022-07-15T12:00:00+08:00
equals "07-15" "$(pj out.txt '[[a["area_id"], a["level"], a["since"], a["lifts_on"]] for a in d]')" \
  '[["G1","high","2022-07-10","2022-07-21"],["G2","medium","2022-07-10","2022-07-18"],["小店区","low","2022-07-10","2022-07-21"]]'
expect 0 "text" -- "$B" area list --db t.db --format text
contains out.txt "中风险区 medium"
contains out.txt "低风险区 low"
contains out.txt "rule: 中风险区"

# P7 left G1 on 07-16, when it was high: 7 days centralized quarantine from 07-16.
expect 0 "measures" -- "$B" measures apply --db t.db --now 2022-07-19T12:00:00+08:00
expect 0 "person show P7" -- "$B" person show P7 --db t.db --format json
equals "P7" "$(pj out.txt '[d["measures"][0][k] for k in ("category", "kind", "anchor_date", "end_date")]')" \
  '["high_risk_area","centralized_quarantine","2022-07-16","2022-07-23"]'

expect 0 "update 07-22" -- "$B" areas update --db t.db --now 2022-07-22T00:00:00+08:00
expect 0 "list 07-22" -- "$B" area list --db t.db --format text
contains out.txt "no risk area in force"

R10="$S/rules/protocol-10.json"
expect 0 "protocol-10 update" -- "$B" areas update --db t10.db --rules "$R10" --now 2022-07-10T12:00:00+08:00
expect 0 "protocol-10 list" -- "$B" area list --db t10.db --rules "$R10"
equals "protocol-10" "$(pj out.txt '[[a["area_id"], a["level"], a["since"], a["lifts_on"]] for a in d]')" \
  '[["G1","high","2022-07-10","2022-07-16"],["小店区","low","2022-07-10","2022-07-16"]]'
expect 0 "rules show protocol-10" -- "$B" rules show --rules "$R10" --format json
equals "designate" "$(pj out.txt '[d["designate"]["home"]["level"], d["designate"]["stayed"]["kinds"]]')" \
  '["high",["office","factory","construction_site","cold_store"]]'
finish
