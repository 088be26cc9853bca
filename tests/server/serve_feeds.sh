#!/usr/bin/env bash
# POST /v1/feeds/{kind}: feed files of a generated city posted as CSV and NDJSON store what
# `fangkong import` of the same files stores into a copy of the store (same counts, same rows);
# bad rows are rejected with line, field and reason and the others kept; a second post stores
# nothing; chunked transfer encoding; a 50 MB body read with the server's memory staying small;
# unknown kind, wrong role, wrong media type; rows outside the token's node rejected, never
# stored; one audit row per post; --max-feed.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

# A city of ~10,800 people over 28 days: checkins.csv is ~50 MB.
expect 0 "gen" -- "$B" gen --scale 0.002 --days 28 --seed 1 --outbreak 2 --out city
for f in grids persons places; do
  expect 0 "import $f" -- "$B" import --db t.db --no-progress "$f" "city/$f.csv"
done
cp t.db ref.db # the reference: `fangkong import` of every file posted
cp t.db cap.db # for --max-feed
tok() { expect 0 "token $1 $2" -- "$B" token create --db t.db --role "$1" --scope "$2" && cat out.txt; }
CITY=$(tok city city)
DIST=$(tok district /迎泽区)
GRID=$(tok grid G1401050001)
DEV=$(tok entrance G1401050001)
EPID=$(tok epidemiologist /小店区)
start_server --threads 2

# post NAME KIND FILE TYPE [CURL ARGS]: status to NAME.status, answer to NAME.json.
post() {
  local name=$1 kind=$2 file=$3 type=$4
  shift 4
  curl -s -o "$name.json" -w '%{http_code}' -H "Authorization: Bearer ${TOKEN:-$CITY}" \
    -H "Content-Type: $type" --data-binary @"$file" "$@" "$U/v1/feeds/$kind" >"$name.status"
}
status() { cat "$1.status"; }
counts() { pj "$1.json" '"read %d, stored %d, duplicate %d, rejected %d" % (d["read"], d["stored"], d["duplicate"], d["rejected"])'; }
# The counts `fangkong import` printed for its file.
imported() { sed -n 's/^.*: \(read [0-9]*, stored [0-9]*, duplicate [0-9]*, rejected [0-9]*\).*/\1/p' err.txt; }
# to_ndjson CSV: the same rows as NDJSON, an empty field as null (python's csv, not ours).
to_ndjson() {
  python3 -c 'import csv,json,sys
for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    print(json.dumps({k: (v if v != "" else None) for k, v in row.items()}, ensure_ascii=False))' "$1"
}

# 1. Several kinds, CSV and NDJSON by turns: the answer is import's tally, the store import's.
head -n 3001 city/checkins.csv >part.csv
cp city/*.csv .
mv part.csv checkins.csv
n=0
for k in sites rooms checkins cases samples arrivals vaccinations duty clinic_visits pharmacy_sales school_absences counts; do
  file=$k.csv type=text/csv
  if [ $((n++ % 2)) = 1 ]; then
    to_ndjson "$k.csv" >"$k.ndjson"
    file=$k.ndjson type=application/x-ndjson
  fi
  if [ $k = checkins ]; then post "$k" "$k" "$file" "$type" -H 'Transfer-Encoding: chunked'; else post "$k" "$k" "$file" "$type"; fi
  equals "$k status" "$(status "$k")" 200
  "$B" import --db ref.db --no-progress "$k" "$file" >out.txt 2>err.txt
  equals "$k answer = import" "$(counts "$k")" "$(imported)"
done
equals "checkins as chunks" "$(counts checkins)" "read 3000, stored 3000, duplicate 0, rejected 0"
equals "an NDJSON kind" "$(pj samples.json 'd["stored"] > 0')" true
for k in sites rooms checkins cases samples arrivals vaccinations duty clinic_visits pharmacy_sales school_absences counts; do
  "$B" export --db t.db "$k" >api.csv
  "$B" export --db ref.db "$k" >ref.csv
  equals "$k stored = imported" "$(cmp -s api.csv ref.csv && echo same)" same
done

SITE=$(tok site Q1) # once the sites are stored

# 2. Posting the same body again stores nothing new.
post again checkins checkins.csv text/csv
equals "again" "$(counts again)" "read 3000, stored 0, duplicate 3000, rejected 0"
equals "no new row" "$(sqlite3 t.db 'SELECT count(*) FROM checkins')" 3000

# 3. Bad rows: rejected with line, field and reason (the lines import names), the others kept.
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  echo "X1,$(idnum 1),张三,M,1990-01-01,13812345678,HX1,G1401050001,"   # 2 kept
  echo "X2,$(idnum 3 | sed 's/.$/0/'),李四,M,1990-01-01,,HX2,G1401050001," # 3 check digit
  echo "X3,$(idnum 5),王五,M,1990-01-01"                                 # 4 too few fields
  echo "X4,$(idnum 7),赵六,M,1990-01-01,,HX4,G9,"                         # 5 no grid G9
  echo "X5,$(idnum 9),钱七,M,1990-01-01,,HX5,G1401050001,\"a, b\""        # 6 kept
  echo "X6,$(idnum 11),孙八,M,1991-01-01,,HX6,G1401050001,"              # 7 birth date
  echo "X7,$(idnum 13),周九,M,1990-01-01,,HX7,G1401050001,\"open"        # 8 quote left open
} >bad.csv
post bad persons bad.csv text/csv
equals "bad status" "$(status bad)" 200
equals "bad counts" "$(counts bad)" "read 7, stored 2, duplicate 0, rejected 5"
equals "bad lines" "$(pj bad.json '[[r["line"], r["field"]] for r in d["rejects"]]')" \
  '[[3,"id_number"],[4,""],[5,"grid_id"],[7,"birth_date"],[8,""]]'
contains bad.json "unknown grid_id 'G9'"
contains bad.json "unterminated quoted field"
"$B" import --db ref.db --no-progress persons bad.csv >out.txt 2>err.txt
equals "bad = import" "$(counts bad)" "$(imported)"
equals "bad lines = import's" "$(pj bad.json '",".join(str(r["line"]) for r in d["rejects"])')" \
  "$(python3 -c 'import csv; print(",".join(r["line"] for r in csv.DictReader(open("bad.csv.rejects.csv"))))')"
equals "kept" "$(sqlite3 t.db "SELECT group_concat(person_id) FROM persons WHERE person_id LIKE 'X%'")" X1,X5
printf '{"person_id":"X8"\n{"person_id":"X9","id_number":"%s","name":"吴十","sex":"M","birth_date":"1990-01-01","household_id":"HX9","grid_id":"G1401050001","phone":null}\n[1]\n' "$(idnum 15)" >bad.ndjson
post badjson persons bad.ndjson application/x-ndjson
equals "bad ndjson" "$(counts badjson)" "read 3, stored 1, duplicate 0, rejected 2"
equals "bad ndjson lines" "$(pj badjson.json '[r["line"] for r in d["rejects"]]')" "[1,3]"
contains badjson.json "invalid JSON"

# 4. Refused: unknown kind 404, a role that may not post the kind 403, no token 401, another
# media type 415, another method 405, a CSV header lacking a column 422 -- nothing stored.
post nokind nope checkins.csv text/csv
equals "unknown kind" "$(status nokind)" 404
TOKEN=$GRID post gridcheckins checkins checkins.csv text/csv
equals "a grid worker posts no check-ins" "$(status gridcheckins)" 403
contains gridcheckins.json "a grid token may not post checkins"
TOKEN=$DEV post devpersons persons bad.csv text/csv
equals "an entrance device posts no persons" "$(status devpersons)" 403
TOKEN=$SITE post sitecheckins checkins checkins.csv text/csv
equals "a site posts no check-ins" "$(status sitecheckins)" 403
TOKEN=nope post notoken checkins checkins.csv text/csv
equals "no valid token" "$(status notoken)" 401
# A refused post is answered whatever its body: none, or 8 MiB that are read and let go.
: >empty.csv
TOKEN=nope post notokenempty checkins empty.csv text/csv
equals "no valid token, no body" "$(status notokenempty)" 401
head -c $((8 << 20)) /dev/zero | tr '\0' 'x' >huge.csv
TOKEN=nope post notokenhuge checkins huge.csv text/csv
equals "no valid token, a huge body" "$(status notokenhuge)" 401
post nokindhuge nope huge.csv text/csv
equals "unknown kind, a huge body" "$(status nokindhuge)" 404
post form checkins checkins.csv application/x-www-form-urlencoded
equals "media type" "$(status form)" 415
equals "get" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CITY" "$U/v1/feeds/checkins")" 405
printf 'person_id,checkin_at\nP1,2022-07-01T10:00:00+08:00\n' >nohead.csv
post nohead checkins nohead.csv text/csv
equals "header" "$(status nohead)" 422
contains nohead.json "header lacks required column place_id"
equals "problem details" "$(pj nohead.json 'd["title"]')" "Unprocessable Content"

# 5. Scope: rows outside the token's node are rejected with why and never stored; an unknown
# key gets the same words (nothing is learnt of what lies outside).
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  echo "Y1,$(idnum 17),郑一,M,1990-01-01,,HY1,G1401060001,"
  echo "Y2,$(idnum 19),冯二,M,1990-01-01,,HY2,G1401050001,"
} >scope.csv
TOKEN=$DIST post distpersons persons scope.csv text/csv
equals "district" "$(counts distpersons)" "read 2, stored 1, duplicate 0, rejected 1"
equals "district reject" "$(pj distpersons.json '[[r["line"], r["field"], r["reason"]] for r in d["rejects"]]')" \
  '[[3,"grid_id","no grid G1401050001 in this token'"'"'s node (不在本辖区)"]]'
equals "only in its node" "$(sqlite3 t.db "SELECT group_concat(person_id) FROM persons WHERE person_id LIKE 'Y%'")" Y1
OUT=$(awk -F, 'NR > 1 && $4 != "G1401050001" {print $1; exit}' city/places.csv)
IN=$(awk -F, 'NR > 1 && $4 == "G1401050001" {print $1; exit}' city/places.csv)
printf 'person_id,place_id,checkin_at,checkout_at\nP1,%s,2022-08-01T09:00:00+08:00,\nP1,%s,2022-08-01T10:00:00+08:00,\nP1,NOPE,2022-08-01T11:00:00+08:00,\n' "$IN" "$OUT" >dev.csv
TOKEN=$DEV post devcheckins checkins dev.csv text/csv
equals "device" "$(counts devcheckins)" "read 3, stored 1, duplicate 0, rejected 2"
equals "device rejects" "$(pj devcheckins.json '[r["reason"] for r in d["rejects"]]')" \
  "[\"no place $OUT in this token's node (不在本辖区)\",\"no place NOPE in this token's node (不在本辖区)\"]"
equals "device stored" "$(sqlite3 t.db "SELECT count(*) FROM checkins WHERE checkin_at >= CAST(strftime('%s', '2022-08-01') AS INTEGER)")" 1
# A site token: the rooms of its own site only, even of a site in the same grid.
Q1GRID=$(awk -F, '$1 == "Q1" {print $3}' city/sites.csv)
printf 'site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,resident_channel,staff,allows_households\nQ99,新隔离点,%s,37.7,112.5,清洁区,缓冲区,污染区,员工通道,住户通道,20,1\n' "$Q1GRID" >site9.csv
post site9 sites site9.csv text/csv
equals "a site in Q1's grid" "$(counts site9)" "read 1, stored 1, duplicate 0, rejected 0"
printf 'site_id,room_id,kind,beds\nQ1,901,single,1\nQ2,901,single,1\nQ99,901,single,1\n' >rooms2.csv
TOKEN=$SITE post siterooms rooms rooms2.csv text/csv
equals "site" "$(counts siterooms)" "read 3, stored 1, duplicate 0, rejected 2"
equals "site rejects" "$(pj siterooms.json '[[r["line"], r["field"], r["reason"]] for r in d["rejects"]]')" \
  '[[3,"site_id","not this token'"'"'s site: Q2 (非本隔离点)"],[4,"site_id","not this token'"'"'s site: Q99 (非本隔离点)"]]'
equals "its room only" "$(sqlite3 t.db "SELECT group_concat(s.site_id) FROM rooms r JOIN sites s ON s.id = r.site WHERE r.room_id = '901'")" Q1
printf 'grid_id,name,community,street,district,lat,lon\nG1409999999,新网格,新社区,坞城街道,小店区,37.7,112.5\n' >grid.csv
TOKEN=$EPID post epidgrids grids grid.csv text/csv
equals "a district's epidemiologist" "$(counts epidgrids)" "read 1, stored 0, duplicate 0, rejected 1"
contains epidgrids.json "only a city-wide token may post them"
post citygrids grids grid.csv text/csv
equals "the city" "$(counts citygrids)" "read 1, stored 1, duplicate 0, rejected 0"

# 6. 50 MB in one body, as chunks: read as it comes. The first post stores; then the peak
# resident set is reset and the same 50 MB posted again (every row read, checked and looked
# up by the writer): the peak grows by far less than the body, so the body was never held.
size=$(stat -c %s city/checkins.csv)
rows=$(($(wc -l <city/checkins.csv) - 1))
equals "a big body" "$([ "$size" -gt 50000000 ] && echo big)" big
post big checkins city/checkins.csv text/csv -H 'Transfer-Encoding: chunked'
equals "big" "$(counts big)" "read $rows, stored $((rows - 3000)), duplicate 3000, rejected 0"
equals "big stored" "$(sqlite3 t.db "SELECT count(*) FROM checkins")" $((rows + 1))
kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$pid/status"; }
echo 5 >"/proc/$pid/clear_refs" # the peak resident set starts again from now
rss=$(kb VmRSS)
post big2 checkins city/checkins.csv text/csv
equals "big again" "$(counts big2)" "read $rows, stored 0, duplicate $rows, rejected 0"
grown=$(($(kb VmHWM) - rss))
echo "peak resident set grew by $grown kB over a body of $((size / 1024)) kB"
# (AddressSanitizer keeps freed memory in quarantine, so there the peak says nothing.)
if [ "$(ldd "$B" | grep -c libasan)" = 0 ]; then # (grep -q could cut ldd off: pipefail)
  equals "memory stays small" "$([ "$grown" -lt 16384 ] && echo small)" small
fi

# 7. The audit log: one row per post accepted -- who, which feed, how many rows.
expect 0 "audit" -- "$B" audit --db t.db
equals "audited posts" "$(grep -c 'POST /v1/feeds/{kind}' out.txt)" 24
contains out.txt "token 1 (city)  POST /v1/feeds/{kind}  feed checkins: read 3000, stored 3000, duplicate 0, rejected 0  from 127.0.0.1"
contains out.txt "(district)  POST /v1/feeds/{kind}  feed persons: read 2, stored 1, duplicate 0, rejected 1  from 127.0.0.1"
contains out.txt "(entrance)  POST /v1/feeds/{kind}  feed checkins: read 3, stored 1, duplicate 0, rejected 2"

kill -TERM "$pid"
wait "$pid"
equals "exit after SIGTERM" "$?" 0

# 8. --max-feed: past it 413, with what was read before it handled and counted.
"$B" token create --db cap.db --role city --scope city >cap.tok
rm -f serve.out serve.err # not the first server's "listening" line
"$B" serve --db cap.db --listen 127.0.0.1:0 --max-feed 100000 >serve.out 2>serve.err &
pid=$!
for _ in $(seq 100); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
U=$(sed -n 's/^listening on //p' serve.out)
TOKEN=$(cat cap.tok) post cap checkins checkins.csv text/csv
equals "over --max-feed" "$(status cap)" 413
equals "counted" "$(pj cap.json '0 < d["read"] < 3000 and d["stored"] == d["read"]')" true
equals "stored as counted" "$(sqlite3 cap.db 'SELECT count(*) FROM checkins')" "$(pj cap.json 'str(d["stored"])')"
kill -TERM "$pid"
wait "$pid"
finish
