#!/usr/bin/env bash
# `fangkong detect --db` and `fangkong alert` end to end on a small town with the shipped rules:
# signal line lists imported as feeds (with a rejected row), the counts per level, an alert per
# channel and level from fever-clinic visits and fever-drug sales, the officer on duty masked,
# verification and the response report.
#
# P1 (G1 in 坞城社区, 坞城街道, 小店区) visits the fever clinic twice a day and buys a fever drug
# twice a day from 06-01 to 07-11, ten times on 07-10. EARS C1 and C2 (minSigma 1): baseline 2,
# sd 0 floored at 1, bound 2 + qnorm(0.999) = 5.09, so 07-10 alarms at district and street level
# by both methods (one alert each); 07-11 does not (the baseline holds the 10).
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
pj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, separators=(",", ":")))' "$1" "$2"; }

printf 'grid_id,name,community,street,district,lat,lon\nG1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\nG2,二网格,柳巷社区,柳巷街道,迎泽区,37.8,112.6\n' >grids.csv
printf 'person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address\nP1,%s,张三丰,M,1990-01-01,13812345678,H1,G1,\n' "$(idnum 1)" >persons.csv
printf 'place_id,name,kind,grid_id,lat,lon,capacity\nC1,发热门诊,fever_clinic,G2,37.8,112.6,60\nF1,药店,pharmacy,G1,37.74,112.56,10\n' >places.csv
cat >duty.csv <<'EOF2'
unit,from,to,officer,phone
/小店区,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,王建国,13911112222
EOF2
python3 - <<'EOF2'
import datetime
v = open("clinic_visits.csv", "w"); s = open("pharmacy_sales.csv", "w")
v.write("person_id,visited_at,place_id,syndrome\n"); s.write("person_id,sold_at,place_id,drug_class,quantity\n")
d = datetime.date(2022, 6, 1)
while d <= datetime.date(2022, 7, 11):
    for h in range(10 if d == datetime.date(2022, 7, 10) else 2):
        v.write(f"P1,{d}T{8 + h:02d}:00:00+08:00,C1,fever\n")
        s.write(f"P1,{d}T{8 + h:02d}:30:00+08:00,F1,fever,1\n")
    d += datetime.timedelta(days=1)
v.write("P9,2022-07-01T08:00:00+08:00,C1,fever\n")          # unknown person
v.write("P1,2022-07-01T09:00:00+08:00,C1,headache\n")       # no such syndrome
EOF2
for f in grids persons places duty pharmacy_sales; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done
expect 3 "import clinic_visits: two bad rows" -- "$B" import --db t.db clinic_visits clinic_visits.csv
contains clinic_visits.csv.rejects.csv "unknown person_id 'P9'"
contains clinic_visits.csv.rejects.csv "syndrome"

# Counts from the store, rolled up: the district and street of G1, 07-10.
expect 0 "detect --db street" -- "$B" detect --db t.db --channel fever_clinic --level street \
  --method ears-c2 --param minSigma=1 --range 2022-07-09:2022-07-11
contains out.txt "2022-07-10,/小店区/坞城街道,fever_clinic,10,2,5.09023230616781,1,"
contains out.txt "2022-07-11,/小店区/坞城街道,fever_clinic,2,"
expect 0 "detect --db city" -- "$B" detect --db t.db --channel pharmacy_fever --level city \
  --method threshold --param threshold=10 --range 2022-07-10:2022-07-10
contains out.txt "2022-07-10,city,pharmacy_fever,10,,10,1,"
expect 2 "detect --db without channel" -- "$B" detect --db t.db --method ears-c2
expect 2 "detect --db bad level" -- "$B" detect --db t.db --channel fever_clinic --level moon --method ears-c2
expect 2 "detect --db bad drug class" -- "$B" detect --db t.db --channel pharmacy_aspirin --method ears-c2
expect 1 "detect --db nothing counted" -- "$B" detect --db t.db --channel school_absence --method ears-c2

# Entrance fevers (entrance_checks, written by fangkong check) and positive samples count too:
# P1's positive pool counts in positive_pool, the single-tube retest in positive.
sqlite3 t.db "INSERT INTO entrance_checks(person, place, at, temperature, mask, decision, code, reasons, fever)
  VALUES(1, 2, strftime('%s', '2022-07-03T10:00:00+08:00'), 38.2, 1, 'deny', 'green', 'fever', 1),
        (1, 2, strftime('%s', '2022-07-03T11:00:00+08:00'), 36.5, 1, 'pass', 'green', '', 0)"
printf 'sample_id,pool_id,person_id,sampled_at,site_id,result,reported_at\nS1,PO1,P1,2022-07-04T08:00:00+08:00,ST1,positive,\nS2,,P1,2022-07-04T15:00:00+08:00,ST1,positive,\n' >samples.csv
expect 0 "import samples" -- "$B" import --db t.db samples samples.csv
expect 0 "detect entrance fevers" -- "$B" detect --db t.db --channel entrance_fever --level grid --method threshold
equals "entrance fevers" "$(cat out.txt)" "date,region_id,channel,observed,expected,upperbound,alarm,score
2022-07-03,G1,entrance_fever,1,,1,1,1"
expect 0 "detect positives" -- "$B" detect --db t.db --channel positive --level community --method threshold
contains out.txt "2022-07-04,/小店区/坞城街道/坞城社区,positive,1,,1,1,1"
expect 0 "detect positive pools" -- "$B" detect --db t.db --channel positive_pool --level grid --method threshold
contains out.txt "2022-07-04,G1,positive_pool,1,,1,1,1"

expect 2 "scan without --now" -- "$B" alert scan --db t.db
expect 0 "scan" -- "$B" alert scan --db t.db --now 2022-07-11T09:00:00+08:00
contains out.txt "5 alerts raised" # and the positive sample's, by the threshold, at district level
expect 0 "scan again" -- "$B" alert scan --db t.db --now 2022-07-11T09:00:00+08:00
contains out.txt "0 alerts raised, 0 alarms joined"
expect 0 "list" -- "$B" alert list --db t.db --format json
cp out.txt alerts.json
equals "alerts" "$(pj alerts.json '[(a["channel"], a["region"]) for a in d]')" \
  '[["fever_clinic","/小店区"],["fever_clinic","/小店区/坞城街道"],["pharmacy_fever","/小店区"],["pharmacy_fever","/小店区/坞城街道"],["positive","/小店区"]]'
equals "why" "$(pj alerts.json '[d[0][k] for k in ("method","first_date","observed","expected","upperbound")]')" \
  '["ears-c1","2022-07-10",10,2,5.090232306]'
equals "two methods, one alert" "$(pj alerts.json 'sorted(x["method"] for x in d[0]["alarms"])')" '["ears-c1","ears-c2"]'
equals "due in 24 h" "$(pj alerts.json 'd[0]["due_at"]')" "2022-07-12T09:00:00+08:00"
equals "officer masked" "$(pj alerts.json '[d[0]["officer"], d[0]["phone"]]')" '["王*","139****2222"]'
equals "street has nobody on duty" "$(pj alerts.json 'd[1]["officer"]')" "null"
lacks alerts.json "王建国"
lacks alerts.json "13911112222"

id=$(pj alerts.json 'd[0]["alert_id"]')
expect 2 "verify without --as" -- "$B" alert verify "$id" --db t.db --now 2022-07-11T12:00:00+08:00
expect 1 "verify unknown" -- "$B" alert verify 999 --as watch --db t.db --now 2022-07-11T12:00:00+08:00
expect 0 "verify" -- "$B" alert verify "$id" --as outbreak --note "cluster at 坞城" --db t.db --now 2022-07-11T12:00:00+08:00
expect 0 "list outbreak" -- "$B" alert list --db t.db --status outbreak --format json
equals "hours" "$(pj out.txt '[d[0]["hours_to_verify"], d[0]["status"], len(d)]')" '[3,"outbreak",1]'
# The other four, due 07-12 09:00, escalate: the two street alerts to their district after
# 720 min (21:00) and on to the city after 1440 min, the two district ones to the city: 6 steps,
# 2 of them by the tick at 21:00.
expect 0 "scan at 20:59" -- "$B" alert scan --db t.db --now 2022-07-12T20:59:00+08:00
contains out.txt "0 escalations"
# The tick escalates unverified alerts too (it does not scan).
expect 0 "tick at 21:00" -- "$B" tick --db t.db --now 2022-07-12T21:00:00+08:00
contains err.txt "unverified alerts (预警信号): escalation steps 2"
expect 0 "scan next morning" -- "$B" alert scan --db t.db --now 2022-07-13T09:00:00+08:00
contains out.txt "4 escalations"
expect 0 "list open" -- "$B" alert list --db t.db --status open --format json
equals "standing" "$(pj out.txt '[a["level"] for a in d]')" '["city","city","city","city"]'
equals "street alert's steps" "$(pj out.txt '[(e["level"], e["unit"], e["officer"]) for e in d[0]["escalations"]]')" \
  '[["district","/小店区","王*"],["city","city",null]]'
expect 0 "report" -- "$B" alert report --db t.db --from 2022-07-11 --to 2022-07-11 --format csv
contains out.txt "fever_clinic,2,1,1,0.5000,3.00,1"
contains out.txt "pharmacy_fever,2,0,0,0.0000,,0"
contains out.txt "positive,1,0,0,0.0000,,0"
contains out.txt "all,5,1,1,0.2000,3.00,1"
expect 0 "list text" -- "$B" alert list --db t.db
contains out.txt "预警信号"
# Filters: where it stands, where it was raised, which channel, since when.
expect 0 "list street" -- "$B" alert list --db t.db --format json --region /小店区/坞城街道 --channel fever_clinic
equals "by region and channel" "$(pj out.txt '[(a["channel"], a["region"]) for a in d]')" '[["fever_clinic","/小店区/坞城街道"]]'
expect 0 "list city level" -- "$B" alert list --db t.db --format json --level city --since 2022-07-11T09:00:00+08:00
equals "standing at city level" "$(pj out.txt 'len(d)')" 4
expect 0 "list since" -- "$B" alert list --db t.db --format json --since 2022-07-11T09:00:01+08:00
equals "none raised later" "$(cat out.txt)" "[]"
expect 2 "bad level" -- "$B" alert list --db t.db --level moon
contains err.txt "level: one of city"
expect 2 "unknown region" -- "$B" alert list --db t.db --region /月球
contains err.txt "no region /月球"

# The alerts section is checked as strictly as the rest of the rules.
python3 - "$S/rules/protocol-9.json" <<'EOF2'
import json, sys
r = json.load(open(sys.argv[1]))
s = r["alerts"]["sources"]
s[0]["methods"][1]["method"] = "ears-c4"
s[1]["methods"][0]["params"] = {"minSigma": 1, "lambda": 2}
s[2]["levels"] = ["district", "moon"]
del r["alerts"]["verify_hours"]
json.dump(r, open("bad.json", "w"), ensure_ascii=False)
EOF2
expect 1 "check a broken alerts section" -- "$B" rules check bad.json
contains out.txt "alerts.verify_hours: required"
contains out.txt "alerts.sources[0].methods[1]: method must name a detection method"
contains out.txt "alerts.sources[1].methods[0].params: lambda:"
contains out.txt "alerts.sources[2].levels: item 1 is not a level"
finish
