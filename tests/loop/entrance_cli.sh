#!/usr/bin/env bash
# `fangkong check`: the entrance check (测温、扫码、验证、戴口罩) on a small city built here.
#
# G1, G2 in 小店区, G3 in 迎泽区. P1 (home G1) is a case sampled 07-10 10:00 who ate at R2 (G2)
# on 07-09; P2 shares P1's household (close contact: centralized quarantine, red, confined);
# P3 (G3) is under no measure (green); P5 (G3) came from 小店区 on 07-10, low then (three days
# two tests: yellow, not confined). Protocol-9 after the tick of 07-11 08:00: G1 high, G2 medium
# (docs/AREAS.md); R1 is in G1, R2 in G2, R3 in G3. Each reason alone, several at once, the
# 37.2/37.3 boundary, a repeat stored once, protocol-10 (no medium areas).
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

cat >grids.csv <<'EOF'
grid_id,name,community,street,district,lat,lon
G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56
G2,二网格,坞城社区,坞城街道,小店区,37.74,112.56
G3,三网格,柳巷社区,柳巷街道,迎泽区,37.86,112.56
EOF
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  echo "P1,$(idnum 1),张三丰,M,1990-01-01,13812345678,H1,G1,"
  echo "P2,$(idnum 3),李四光,M,1990-01-01,13812345679,H1,G1,"
  echo "P3,$(idnum 5),王五一,M,1990-01-01,13812345670,H3,G3,"
  echo "P5,$(idnum 7),赵六合,M,1990-01-01,13812345671,H5,G3,"
} >persons.csv
cat >places.csv <<'EOF'
place_id,name,kind,grid_id,lat,lon,capacity
R1,一面馆,restaurant,G1,37.74,112.56,40
R2,二面馆,restaurant,G2,37.74,112.56,40
R3,三面馆,restaurant,G3,37.86,112.56,40
EOF
cat >checkins.csv <<'EOF'
person_id,place_id,checkin_at,checkout_at
P1,R2,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00
EOF
cat >cases.csv <<'EOF'
person_id,kind,onset_date,sampled_at,isolated_at
P1,asymptomatic,,2022-07-10T10:00:00+08:00,2022-07-10T18:00:00+08:00
EOF
cat >arrivals.csv <<'EOF'
person_id,arrived_at,origin,port,international,left_at
P5,2022-07-10T20:00:00+08:00,小店区,太原南站,0,2022-07-10T18:00:00+08:00
EOF
for f in grids persons places checkins cases arrivals; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done
cp t.db t10.db
expect 0 "tick" -- "$B" tick --db t.db --now 2022-07-11T08:00:00+08:00

# check NAME PERSON PLACE MINUTE TEMPERATURE MASK [MORE...]: runs one check at 07-11 09:MM.
check() {
  local what=$1 person=$2 place=$3 minute=$4 temp=$5 mask=$6
  shift 6
  expect 0 "$what" -- "$B" check "$person" "$place" --db t.db --at "2022-07-11T09:$minute:00+08:00" \
    --temperature "$temp" --mask "$mask" "$@"
  cp out.txt "$what.json"
}
# answer NAME: decision, reason keys, code.
answer() { pj "$1.json" '[d["decision"], [r["key"] for r in d["reasons"]], d["code"]]'; }

check green P3 R3 00 36.5 1
equals "green passes" "$(answer green)" '["pass",[],"green"]'
equals "keys" "$(pj green.json 'sorted(d)[:3]')" '["area_level","code","decision"]'
check fever P3 R3 01 37.3 1
equals "37.3 is a fever" "$(answer fever)" '["deny",["fever"],"green"]'
contains fever.json "发热"
check boundary P3 R3 02 37.2 1
equals "37.2 is not" "$(answer boundary)" '["pass",[],"green"]'
check nomask P3 R3 03 36.5 0
equals "no mask" "$(answer nomask)" '["deny",["no_mask"],"green"]'
contains nomask.json "未戴口罩"
check high P3 R1 04 36.5 1
equals "high-risk grid" "$(answer high)" '["deny",["area_high"],"green"]'
contains high.json "高风险区"
check medium P3 R2 05 36.5 1
equals "medium-risk grid" "$(answer medium)" '["deny",["area_medium"],"green"]'
check yellow P5 R3 06 36.5 1
equals "yellow code, not confined" "$(answer yellow)" '["deny",["code_yellow"],"yellow"]'
check red P2 R3 07 36.5 1
equals "close contact" "$(answer red)" '["deny",["code_red","confined"],"red"]'
contains red.json "红码"
contains red.json "隔离中"
check all P2 R1 08 38.0 0
equals "every reason" "$(answer all)" '["deny",["fever","no_mask","code_red","area_high","confined"],"red"]'
for f in *.json; do
  lacks "$f" "李四光"
  lacks "$f" "13812345679"
  lacks "$f" "$(idnum 3)"
done

# A repeat is the same answer and is stored once; a pass records the check-in, a deny none.
check again P3 R3 00 36.5 1
equals "repeat" "$(answer again)" '["pass",[],"green"]'
equals "repeat not stored again" "$(pj again.json 'd["recorded"]')" "false"
equals "first stored" "$(pj green.json 'd["recorded"]')" "true"
q() { sqlite3 t.db "$1"; }
equals "checks stored" "$(q 'SELECT count(*) FROM entrance_checks')" 9
equals "fevers stored" "$(q 'SELECT count(*) FROM entrance_checks WHERE fever = 1')" 2
equals "denied stored" "$(q "SELECT count(*) FROM entrance_checks WHERE decision = 'deny'")" 7
equals "reasons stored" "$(q "SELECT reasons FROM entrance_checks WHERE temperature = 38.0")" \
  "fever;no_mask;code_red;area_high;confined"
T0=$(date -d 2022-07-11T09:00:00+08:00 +%s)
equals "check-in once" "$(q "SELECT count(*) FROM checkins c JOIN persons p ON p.id = c.person
  JOIN places l ON l.id = c.place WHERE p.person_id = 'P3' AND l.place_id = 'R3'
  AND c.checkin_at = $T0 AND c.checkout_at IS NULL")" 1
equals "check-ins of passes only" "$(q "SELECT count(*) FROM checkins WHERE checkin_at >= $T0")" 2

expect 0 "text" -- "$B" check P2 R3 --db t.db --at 2022-07-11T10:00:00+08:00 --temperature 36.6 \
  --mask 1 --format text
contains out.txt "禁止通行 deny"
contains out.txt "confined"
expect 1 "unknown person" -- "$B" check P9 R3 --db t.db --at 2022-07-11T10:00:00+08:00 \
  --temperature 36.6 --mask 1
contains err.txt "no person P9"
expect 1 "unknown place" -- "$B" check P3 R9 --db t.db --at 2022-07-11T10:00:00+08:00 \
  --temperature 36.6 --mask 1
expect 2 "no temperature" -- "$B" check P3 R3 --db t.db --at 2022-07-11T10:00:00+08:00 --mask 1
expect 2 "bad temperature" -- "$B" check P3 R3 --db t.db --at 2022-07-11T10:00:00+08:00 \
  --temperature hot --mask 1
expect 2 "bad mask" -- "$B" check P3 R3 --db t.db --at 2022-07-11T10:00:00+08:00 \
  --temperature 36.6 --mask yes
expect 2 "one id" -- "$B" check P3 --db t.db --at 2022-07-11T10:00:00+08:00 --temperature 36.6 --mask 1

# Protocol-10: a restaurant draws no area and there are no medium areas; G1 is high.
R10="$S/rules/protocol-10.json"
expect 0 "tick p10" -- "$B" tick --db t10.db --rules "$R10" --now 2022-07-11T08:00:00+08:00
expect 0 "p10 R2" -- "$B" check P3 R2 --db t10.db --rules "$R10" --at 2022-07-11T09:00:00+08:00 \
  --temperature 36.5 --mask 1
cp out.txt p10r2.json
equals "p10: no medium area" "$(answer p10r2)" '["pass",[],"green"]'
expect 0 "p10 R1" -- "$B" check P3 R1 --db t10.db --rules "$R10" --at 2022-07-11T09:00:00+08:00 \
  --temperature 36.5 --mask 1
cp out.txt p10r1.json
equals "p10: high area" "$(answer p10r1)" '["deny",["area_high"],"green"]'
finish
