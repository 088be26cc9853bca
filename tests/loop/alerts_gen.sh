#!/usr/bin/env bash
# The synthetic city's seeded outbreak raises alerts from more than one channel (issue 5, item
# 7): a small city with an outbreak, its signal feeds imported (no check-ins: alerts need none),
# scanned each morning of the window; fever-clinic visits and fever-drug sales both alert in the
# street of a case's home. The signal feeds are a pure function of the options, a city without
# an outbreak alarms less there, and the store's street counts equal counts worked out here
# from the generated files.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

gen() { # gen OUT OUTBREAK
  expect 0 "gen $1" -- "$B" gen --scale 0.003 --days 14 --start 2022-07-01 --seed 7 --outbreak "$2" --out "$1"
}
load() { # load CITY DB: the feeds alerts read, then a scan each morning
  for f in grids persons places duty cases samples clinic_visits pharmacy_sales school_absences counts; do
    expect 0 "import $1/$f" -- "$B" import --db "$2" "$f" "$1/$f.csv"
  done
  for d in 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do
    expect 0 "scan 07-$d" -- "$B" alert scan --db "$2" --now "2022-07-${d}T09:00:00+08:00"
  done
  expect 0 "list" -- "$B" alert list --db "$2" --format json
  cp out.txt "$1.alerts.json"
}
gen city 2
gen again 2
for f in clinic_visits pharmacy_sales school_absences counts; do
  cmp -s "city/$f.csv" "again/$f.csv" || { echo "FAIL: $f.csv differs between two runs"; fails=$((fails + 1)); }
  [ "$(wc -l <"city/$f.csv")" -gt 20 ] || { echo "FAIL: $f.csv has few rows"; fails=$((fails + 1)); }
done
gen quiet 0
load city city.db

# The store's counts against counts worked out here from the generated files (fever-drug sales
# per street and day, at the buyer's home street): detect over both gives the same rows.
python3 - city <<'EOF2' >street_counts.csv
import csv, collections, sys
d = sys.argv[1]
grid = {r["person_id"]: r["grid_id"] for r in csv.DictReader(open(f"{d}/persons.csv"))}
where = {r["grid_id"]: f'/{r["district"]}/{r["street"]}' for r in csv.DictReader(open(f"{d}/grids.csv"))}
n = collections.Counter()
for r in csv.DictReader(open(f"{d}/pharmacy_sales.csv")):
    if r["drug_class"] == "fever":
        n[(r["sold_at"][:10], where[grid[r["person_id"]]])] += 1
print("date,region_id,channel,count")
for (day, street), k in sorted(n.items()):
    print(f"{day},{street},pharmacy_fever,{k}")
EOF2
expect 0 "detect on counts worked out here" -- "$B" detect --input street_counts.csv --method ears-c2 --param minSigma=1
sort out.txt >by_hand.txt
expect 0 "detect on the store's counts" -- "$B" detect --db city.db --channel pharmacy_fever --level street --method ears-c2 --param minSigma=1
sort out.txt >by_store.txt
cmp -s by_hand.txt by_store.txt || { echo "FAIL: the store's street counts differ from the files'"; diff by_hand.txt by_store.txt | head; fails=$((fails + 1)); }
[ "$(wc -l <by_store.txt)" -gt 100 ] || { echo "FAIL: few rows"; fails=$((fails + 1)); }
load quiet quiet.db

# The streets of the cases' homes, and the first onset less three days, from the generated files.
python3 - city <<'EOF2' >outbreak.txt
import csv, sys
d = sys.argv[1]
grid = {r["person_id"]: r["grid_id"] for r in csv.DictReader(open(f"{d}/persons.csv"))}
where = {r["grid_id"]: f'/{r["district"]}/{r["street"]}' for r in csv.DictReader(open(f"{d}/grids.csv"))}
cases = list(csv.DictReader(open(f"{d}/cases.csv")))
import datetime
first = min(datetime.date.fromisoformat(r["onset_date"] or r["sampled_at"][:10]) for r in cases)
print(first - datetime.timedelta(days=3))
print("\n".join(sorted({where[grid[r["person_id"]]] for r in cases})))
EOF2
# alarms ALERTS.json: channel:count of alarms since then at street level in those streets
alarms() {
  python3 - "$1" outbreak.txt <<'EOF2'
import json, sys, collections
lines = open(sys.argv[2]).read().split()
since, streets = lines[0], set(lines[1:])
n = collections.Counter()
for a in json.load(open(sys.argv[1])):
    if a["region"] in streets:
        n[a["channel"]] += len({x["date"] for x in a["alarms"] if x["date"] >= since})
print(",".join(f"{k}:{v}" for k, v in sorted(n.items()) if v))
EOF2
}
loud=$(alarms city.alerts.json) quiet=$(alarms quiet.alerts.json)
echo "alarm days in the outbreak's streets: with the outbreak $loud; without: $quiet"
case "$loud" in
*fever_clinic:*pharmacy_fever:*) ;;
*) echo "FAIL: fever_clinic and pharmacy_fever should both alarm in the outbreak's streets: $loud"; fails=$((fails + 1)) ;;
esac
total() { echo "$1" | tr ',' '\n' | awk -F: '{ s += $2 } END { print s + 0 }'; }
[ "$(total "$loud")" -gt "$(total "$quiet")" ] || { echo "FAIL: no more alarms with the outbreak than without"; fails=$((fails + 1)); }
finish
