#!/usr/bin/env bash
# GET /v1/alerts, POST /v1/alerts/{id}/verify and GET /v1/briefing on a free loopback port over a
# small city made here with alerts in two districts: the same JSON as `fangkong alert list` and
# `fangkong briefing` (byte for byte), every role in and out of its node, the officer masked,
# verification through the writer (what `alert list` shows after, the audit row, a second
# judgement), and bad input answered 4xx.
#
# P1 (G1: 坞城社区, 坞城街道, 小店区) and P3 (G3: 柳巷社区, 柳巷街道, 迎泽区) visit the fever
# clinic twice a day from 06-01 to 07-11, ten times on 07-10; P1 also buys a fever drug as often.
# EARS C1/C2 (minSigma 1, the shipped rules) alarm on 07-10 at district and street level (as in
# tests/loop/alerts_cli.sh): the scan of 07-11 09:00 raises fever_clinic alerts for 小店区,
# 坞城街道, 迎泽区 and 柳巷街道 and pharmacy_fever ones for 小店区 and 坞城街道. The tick of 07-12
# 21:00 steps the three street alerts, unverified, up to their district.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

city_grids
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  echo "P1,$(idnum 1),张三丰,M,1990-01-01,13812345678,H1,G1,"
  echo "P3,$(idnum 5),王五一,M,1990-01-01,13812345670,H3,G3,"
} >persons.csv
cat >places.csv <<'EOF'
place_id,name,kind,grid_id,lat,lon,capacity
C1,发热门诊,fever_clinic,G1,37.74,112.56,60
F1,药店,pharmacy,G1,37.74,112.56,10
EOF
cat >duty.csv <<'EOF'
unit,from,to,officer,phone
/小店区,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,王建国,13911112222
EOF
cat >cases.csv <<'EOF'
person_id,kind,onset_date,sampled_at,isolated_at
P1,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-10T18:00:00+08:00
EOF
python3 - <<'EOF'
import datetime
v = open("clinic_visits.csv", "w"); s = open("pharmacy_sales.csv", "w")
v.write("person_id,visited_at,place_id,syndrome\n"); s.write("person_id,sold_at,place_id,drug_class,quantity\n")
d = datetime.date(2022, 6, 1)
while d <= datetime.date(2022, 7, 11):
    for h in range(10 if d == datetime.date(2022, 7, 10) else 2):
        for p in ("P1", "P3"):
            v.write(f"{p},{d}T{8 + h:02d}:00:00+08:00,C1,fever\n")
        s.write(f"P1,{d}T{8 + h:02d}:30:00+08:00,F1,fever,1\n")
    d += datetime.timedelta(days=1)
EOF
cat >sites.csv <<'EOF'
site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,resident_channel,staff,allows_households
S1,小店区集中隔离点1号,G1,37.741,112.561,清洁区,缓冲区,污染区,员工通道,隔离人员通道,12,1
EOF
for f in grids persons places sites duty cases clinic_visits pharmacy_sales; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done
expect 0 "scan" -- "$B" alert scan --db t.db --now 2022-07-11T09:00:00+08:00
contains out.txt "6 alerts raised"
expect 0 "tick" -- "$B" tick --db t.db --now 2022-07-12T21:00:00+08:00
contains err.txt "unverified alerts (预警信号): escalation steps 3"

token() {
  expect 0 "token $1 $2" -- "$B" token create --db t.db --role "$1" --scope "$2"
  cat out.txt
}
CITY=$(token city city)
EPI=$(token epidemiologist city)
EPIX=$(token epidemiologist /小店区)
YZ=$(token district /迎泽区)
WC=$(token street /小店区/坞城街道)
COMM=$(token community /小店区/坞城街道/坞城社区)
GRID=$(token grid G1)
SITE=$(token site S1)
DEV=$(token entrance /小店区)

start_server --threads 2

# req NAME TOKEN METHOD PATH [CURL ARGS]: status to NAME.status, body to NAME.json, headers NAME.h.
req() {
  local name=$1 tok=$2 method=$3 path=$4
  shift 4
  curl -s -o "$name.json" -D "$name.h" -w '%{http_code}' -X "$method" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $tok" "$@" "$U$path" \
    >"$name.status"
}
status() { cat "$1.status"; }
# list NAME TOKEN QUERY CLI-ARGS...: GET /v1/alerts?QUERY must be, byte for byte, `fangkong alert
# list --format json CLI-ARGS`.
list() {
  local name=$1 tok=$2 query=$3
  shift 3
  req "$name" "$tok" GET "/v1/alerts$query"
  equals "$name status" "$(status "$name")" 200
  contains "$name.h" "Content-Type: application/json"
  "$B" alert list --db t.db --format json "$@" >"$name.cli"
  cmp -s "$name.json" "$name.cli" || {
    echo "FAIL: $name: GET /v1/alerts$query differs from alert list $*"
    diff "$name.json" "$name.cli" | head -5
    fails=$((fails + 1))
  }
}
regions() { pj "$1.json" '[(a["channel"], a["region"]) for a in d]'; }

# ---- GET /v1/alerts: the command's JSON, within the token's node ----
list all "$CITY" ""
equals "every alert" "$(regions all)" '[["fever_clinic","/小店区"],["fever_clinic","/小店区/坞城街道"],["fever_clinic","/迎泽区"],["fever_clinic","/迎泽区/柳巷街道"],["pharmacy_fever","/小店区"],["pharmacy_fever","/小店区/坞城街道"]]'
equals "why it fired" "$(pj all.json '[d[0][k] for k in ("method", "first_date", "observed", "expected", "upperbound", "status", "due_at")]')" \
  '["ears-c1","2022-07-10",10,2,5.090232306,"open","2022-07-12T09:00:00+08:00"]'
equals "officer masked" "$(pj all.json '[d[0]["officer"], d[0]["phone"]]')" '["王*","139****2222"]'
lacks all.json "王建国"
lacks all.json "13911112222"
equals "escalated to the district" "$(pj all.json '[(e["level"], e["unit"], e["officer"]) for e in d[1]["escalations"]]')" \
  '[["district","/小店区","王*"]]'
list epi "$EPI" ""
list yz "$YZ" "" --region /迎泽区
equals "a district sees its own" "$(regions yz)" '[["fever_clinic","/迎泽区"],["fever_clinic","/迎泽区/柳巷街道"]]'
list wc "$WC" "" --region /小店区/坞城街道
equals "a street sees its own" "$(regions wc)" '[["fever_clinic","/小店区/坞城街道"],["pharmacy_fever","/小店区/坞城街道"]]'
list epix "$EPIX" "" --region /小店区
equals "an epidemiologist of a district" "$(pj epix.json 'len(d)')" 4
list yzwc "$YZ" "?region=/小店区/坞城街道" --region /迎泽区/柳巷街道 --channel nothing
equals "another district's region: nothing" "$(cat yzwc.json)" "[]"
list open "$CITY" "?status=open" --status open
equals "open" "$(pj open.json 'len(d)')" 6
list chan "$CITY" "?channel=pharmacy_fever" --channel pharmacy_fever
equals "by channel" "$(pj chan.json 'len(d)')" 2
list lvl "$CITY" "?level=district" --level district
equals "standing at district level (three escalated)" "$(pj lvl.json 'len(d)')" 6
list lvl2 "$CITY" "?level=street" --level street
equals "none left at street level" "$(cat lvl2.json)" "[]"
list reg "$CITY" "?region=G3" --region G3
equals "a grid: nothing raised that low" "$(cat reg.json)" "[]"
list since "$CITY" "?since=2022-07-11T09:00:00%2B08:00&region=/%E5%B0%8F%E5%BA%97%E5%8C%BA" --since 2022-07-11T09:00:00+08:00 --region /小店区
equals "since and region" "$(pj since.json 'len(d)')" 4
list later "$CITY" "?since=2022-07-11T09:00:01%2B08:00" --since 2022-07-11T09:00:01+08:00
equals "raised before" "$(cat later.json)" "[]"

# bad NAME QUERY TEXT: 400 as problem details naming the filter.
bad() {
  req "$1" "$CITY" GET "/v1/alerts$2"
  equals "$1 status" "$(status "$1")" 400
  contains "$1.h" "application/problem+json"
  contains "$1.json" "$3"
}
bad badstatus "?status=lost" "status: one of open"
bad badlevel "?level=moon" "level: one of city"
bad badsince "?since=yesterday" "since: must be an ISO 8601 time"
bad badregion "?region=/%E6%9C%88%E7%90%83" "region: no region /月球"
for who in COMM GRID SITE DEV; do
  req "no$who" "${!who}" GET /v1/alerts
  equals "$who reads no alerts" "$(status "no$who")" 403
done
req notoken "" GET /v1/alerts
equals "no token" "$(status notoken)" 401

# ---- POST /v1/alerts/{id}/verify ----
ID=$(pj wc.json 'd[0]["alert_id"]')   # fever_clinic, 坞城街道
OTHER=$(pj yz.json 'd[0]["alert_id"]') # fever_clinic, 迎泽区
req outside "$YZ" POST "/v1/alerts/$ID/verify" --data '{"verdict":"outbreak"}'
equals "another district's alert" "$(pj outside.json '[d["status"], d["detail"]]')" "[404,\"id: no alert $ID\"]"
req unknown "$CITY" POST /v1/alerts/999999/verify --data '{"verdict":"outbreak"}'
equals "an unknown alert, the same answer" "$(pj unknown.json '[d["status"], d["detail"]]')" '[404,"id: no alert 999999"]'
req notid "$CITY" POST /v1/alerts/x7/verify --data '{"verdict":"outbreak"}'
equals "not an alert_id" "$(status notid)" 404
for who in COMM GRID DEV; do
  req "nov$who" "${!who}" POST "/v1/alerts/$ID/verify" --data '{"verdict":"watch"}'
  equals "$who verifies nothing" "$(status "nov$who")" 403
done
# badv NAME BODY TEXT: 400 naming what is wrong; nothing changes.
badv() {
  req "$1" "$WC" POST "/v1/alerts/$ID/verify" --data "$2"
  equals "$1 status" "$(status "$1")" 400
  contains "$1.h" "application/problem+json"
  contains "$1.json" "$3"
}
badv verdict '{"verdict":"maybe"}' 'verdict: must be \"outbreak\", \"not_outbreak\" or \"watch\"'
badv asopen '{"verdict":"open"}' "verdict: must be"
badv noverdict '{"note":"x"}' "verdict: missing"
badv verdicttype '{"verdict":1}' "verdict: must be"
badv notetype '{"verdict":"watch","note":5}' "note: must be a string of 1 to 255 characters"
badv longnote "{\"verdict\":\"watch\",\"note\":\"$(printf 'x%.0s' $(seq 256))\"}" "note: must be a string"
badv extra '{"verdict":"watch","by":"me"}' "by: unknown field"
badv malformed '{"verdict":' "malformed JSON"
badv empty '' "malformed JSON"
badv array '["outbreak"]' "JSON object"
expect 0 "list after bad input" -- "$B" alert list --db t.db --format json --status open
equals "nothing verified by bad input" "$(pj out.txt 'len(d)')" 6

before=$(date +%s)
req verify "$WC" POST "/v1/alerts/$ID/verify" --data '{"verdict":"outbreak","note":"cluster at 坞城, 聚集性疫情"}'
after=$(date +%s)
equals "verified" "$(status verify)" 200
equals "the alert after" "$(pj verify.json '[d["alert_id"], d["status"], d["note"]]')" "[$ID,\"outbreak\",\"cluster at 坞城, 聚集性疫情\"]"
# The time it took, as the command counts it: from raised to the server's clock.
equals "verified at the server's clock" "$(pj verify.json 'str(int(__import__("datetime").datetime.fromisoformat(d["verified_at"]).timestamp()))' |
  awk -v b="$before" -v a="$after" '{print ($1 >= b && $1 <= a)}')" 1
equals "hours to verify" "$(pj verify.json 'abs(d["hours_to_verify"] - (__import__("datetime").datetime.fromisoformat(d["verified_at"]) - __import__("datetime").datetime.fromisoformat(d["created_at"])).total_seconds() / 3600) < 1e-4')" true
expect 0 "alert list outbreak" -- "$B" alert list --db t.db --format json --status outbreak
equals "the command shows it" "$(pj out.txt '[(a["alert_id"], a["note"]) for a in d]')" "[[$ID,\"cluster at 坞城, 聚集性疫情\"]]"
equals "the answer is the command's alert" "$(pj out.txt 'json.dumps(d[0], ensure_ascii=False, sort_keys=True)')" \
  "$(pj verify.json 'json.dumps(d, ensure_ascii=False, sort_keys=True)')"
FIRST=$(pj verify.json 'd["verified_at"]')
sleep 1
# Judged again, as `fangkong alert verify` allows: the verdict changes, the first time stays.
req again "$CITY" POST "/v1/alerts/$ID/verify" --data '{"verdict":"watch"}'
equals "judged again" "$(pj again.json '[d["status"], d["verified_at"], d["note"]]')" "[\"watch\",\"$FIRST\",\"cluster at 坞城, 聚集性疫情\"]"
req other "$YZ" POST "/v1/alerts/$OTHER/verify" --data '{"verdict":"not_outbreak","note":null}'
equals "a district verifies its own" "$(pj other.json '[d["status"], d["note"]]')" '["not_outbreak",null]'
expect 0 "alert list after" -- "$B" alert list --db t.db --format json
equals "statuses" "$(pj out.txt '[a["status"] for a in d]')" '["open","watch","not_outbreak","open","open","open"]'
expect 0 "audit" -- "$B" audit --db t.db
contains out.txt "(street)  POST /v1/alerts/{id}/verify  alert $ID as outbreak  from 127.0.0.1"
contains out.txt "(city)  POST /v1/alerts/{id}/verify  alert $ID as watch  from 127.0.0.1"
contains out.txt "(district)  POST /v1/alerts/{id}/verify  alert $OTHER as not_outbreak  from 127.0.0.1"
equals "only what was done is audited" "$(grep -c 'POST /v1/alerts' out.txt)" 3
# An alert raised after the server's clock (as by a scan with --now in the future): 422.
LATE=$(pj chan.json 'd[0]["alert_id"]')
sqlite3 t.db "UPDATE alerts SET created_at = strftime('%s', '2099-01-01T00:00:00+08:00') WHERE id = $LATE"
req late "$CITY" POST "/v1/alerts/$LATE/verify" --data '{"verdict":"watch"}'
equals "raised after now" "$(pj late.json '[d["status"], d["detail"]]')" '[422,"now: the alert was raised after that time"]'

# ---- GET /v1/briefing: the command's JSON, the whole city's ----
# brief NAME TOKEN QUERY CLI-NOW: GET /v1/briefing?QUERY must be `fangkong briefing --now CLI-NOW
# --format json`, byte for byte.
brief() {
  req "$1" "$2" GET "/v1/briefing$3"
  equals "$1 status" "$(status "$1")" 200
  "$B" briefing --db t.db --now "$4" --format json >"$1.cli"
  cmp -s "$1.json" "$1.cli" || {
    echo "FAIL: $1: GET /v1/briefing$3 differs from briefing --now $4"
    diff "$1.json" "$1.cli" | head -5
    fails=$((fails + 1))
  }
}
brief bnow "$CITY" "?now=2022-07-11T09:00:00%2B08:00" 2022-07-11T09:00:00+08:00
equals "the case counted" "$(pj bnow.json '[d["cases"]["total"], d["date"]]')" '[1,"2022-07-11"]'
brief bdate "$EPI" "?date=2022-07-12" 2022-07-12T23:59:59+08:00
equals "date: the civil day" "$(pj bdate.json '[d["from"], d["now"], d["date"]]')" \
  '["2022-07-11T23:59:59+08:00","2022-07-12T23:59:59+08:00","2022-07-12"]'
req bclock "$CITY" GET /v1/briefing
equals "the server's clock" "$(pj bclock.json 'str(abs(int(__import__("datetime").datetime.fromisoformat(d["now"]).timestamp()) - int(__import__("time").time())) < 60)')" True
req bboth "$CITY" GET "/v1/briefing?date=2022-07-12&now=2022-07-11T09:00:00%2B08:00"
equals "date and now" "$(pj bboth.json '[d["status"], d["detail"]]')" '[400,"give date or now, not both"]'
req bbaddate "$CITY" GET "/v1/briefing?date=2022-13-01"
equals "bad date" "$(pj bbaddate.json '[d["status"], d["detail"]]')" '[400,"date: must be a date YYYY-MM-DD"]'
req bbadnow "$CITY" GET "/v1/briefing?now=soon"
equals "bad now" "$(status bbadnow)" 400
req bepix "$EPIX" GET "/v1/briefing?date=2022-07-12"
equals "a node below the city" "$(status bepix)" 404
lacks bepix.json "cases"
for who in YZ WC COMM GRID SITE DEV; do
  req "nob$who" "${!who}" GET /v1/briefing
  equals "$who reads no briefing" "$(status "nob$who")" 403
done

kill -TERM "$pid"
wait "$pid"
equals "exit after SIGTERM" "$?" 0
finish
