#!/usr/bin/env bash
# `fangkong scan` as an epidemiologist meets it: SaTScan's own files give SaTScan's answer,
# counts.csv with a regions file and the store work the same way, a bad row is named and the
# rest scanned (exit 3), wrong usage exits 2.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?} SH=${FK_SHARED:?}
R=$SH/reference/scan
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

expect 0 "scan --help" -- "$B" scan --help
contains out.txt "usage: fangkong scan"
expect 2 "no input" -- "$B" scan
expect 2 "--cas without --geo" -- "$B" scan --cas "$R/city_last30.cas"
expect 2 "--input without coordinates" -- "$B" scan --input counts.csv
expect 2 "two inputs" -- "$B" scan --cas a --geo b --db c
expect 2 "a share above 1" -- "$B" scan --cas "$R/city_last30.cas" --geo "$R/city.geo" --max-share 1.5
expect 2 "no such format" -- "$B" scan --cas "$R/city_last30.cas" --geo "$R/city.geo" --format xml
expect 1 "a missing file" -- "$B" scan --cas missing.cas --geo "$R/city.geo"
contains err.txt "missing.cas"

# SaTScan's files: the most likely cluster as the README gives it (SaTScan 10.3.2).
expect 0 "scan SaTScan's files" -- "$B" scan --cas "$R/city_last30.cas" --geo "$R/city.geo" \
  --replicates 99 --seed 3
equals "header" "$(head -1 out.txt)" \
  "cluster,regions,start,end,observed,expected,llr,p_value,centre,radius_km"
equals "most likely cluster" "$(sed -n 2p out.txt | cut -d, -f1-5,9)" \
  "1,L0001;L0071;L0168;L0181;L0202;L0085;L0218;L0065,2023-12-29,2023-12-31,102,L0001"
python3 - <<'EOF' || { echo "FAIL: numbers"; fails=$((fails + 1)); }
import csv
rows = list(csv.DictReader(open("out.txt")))
m = rows[0]
assert abs(float(m["expected"]) - 18.85) < 0.005, m
assert abs(float(m["llr"]) - 90.560276) < 1e-6, m
assert float(m["p_value"]) == 0.01, m  # 1 / (99 + 1): above every replicate
assert abs(float(m["radius_km"]) - 3.98) < 0.005, m
s = [r for r in rows if r["regions"] == "L0178"]
assert s and s[0]["start"] == "2023-12-29" and s[0]["observed"] == "4", rows[:3]
assert abs(float(s[0]["llr"]) - 3.874663) < 1e-6, s
EOF
cp out.txt seed3.txt
expect 0 "only significant clusters" -- "$B" scan --cas "$R/city_last30.cas" --geo "$R/city.geo" \
  --replicates 99 --seed 3 --max-p 0.05
equals "--max-p 0.05 keeps the most likely alone" "$(cat out.txt)" "$(head -2 seed3.txt)"
expect 2 "--max-p 0" -- "$B" scan --cas "$R/city_last30.cas" --geo "$R/city.geo" --max-p 0
expect 0 "the same seed on one thread" -- "$B" scan --cas "$R/city_last30.cas" \
  --geo "$R/city.geo" --replicates 99 --seed 3 --threads 1
equals "the same seed, another thread count" "$(cat out.txt)" "$(cat seed3.txt)"

expect 0 "as JSON, settings overridden" -- "$B" scan --cas "$R/city_last30.cas" \
  --geo "$R/city.geo" --replicates 19 --max-days 3 --format json
python3 - <<'EOF' || { echo "FAIL: JSON"; fails=$((fails + 1)); }
import json
d = json.load(open("out.txt"))
assert d["study"]["cases"] == 2390 and d["study"]["locations"] == 300, d["study"]
assert d["study"]["max_days"] == 3 and d["study"]["replicates"] == 19, d["study"]
assert d["study"]["start"] == "2023-12-02" and d["study"]["end"] == "2023-12-31"
assert d["study"]["rules"] == "protocol-9", d["study"]
c = d["clusters"][0]
assert c["kind"] == "most likely" and c["regions"][0] == "L0001" and len(c["regions"]) == 8, c
assert all(k["end"] == "2023-12-31" for k in d["clusters"])
assert all(k["start"] >= "2023-12-29" for k in d["clusters"])  # at most 3 days
EOF

# A rule set's scan section sets the defaults.
sed 's/"replicates": 999/"replicates": 9/' "$S/rules/protocol-9.json" >nine.json
expect 0 "replicates from the rules" -- "$B" scan --cas "$R/city_last30.cas" \
  --geo "$R/city.geo" --rules nine.json --format json
contains out.txt '"replicates": 9,'

# Bad rows: named with file, line, field and reason; the rest scanned; exit 3.
{ cat "$R/city_last30.cas"; printf 'L0001\t1\t2023/12/32\nL9999\t2\t2023/12/30\n'; } >bad.cas
expect 3 "a case file with bad rows" -- "$B" scan --cas bad.cas --geo "$R/city.geo" --replicates 9
n=$(wc -l <"$R/city_last30.cas")
contains err.txt "bad.cas:$((n + 1)): date:"
contains err.txt "bad.cas:$((n + 2)): location_id: location L9999 is not in the coordinates"
contains err.txt "2 input rows rejected"
contains out.txt "1,L0001;L0071;L0168;L0181;L0202;L0085;L0218;L0065,2023-12-29,2023-12-31,102,"

# counts.csv with a regions file: the same study as SaTScan's files, one channel of two.
python3 - "$R" <<'EOF'
import sys
r = sys.argv[1]
with open("regions.csv", "w") as f:
    f.write("region_id,lat,lon\n")
    for line in open(r + "/city.geo"):
        i, lat, lon = line.split()
        f.write(f"{i},{lat},{lon}\n")
counts = {}
for line in open(r + "/city_last30.cas"):
    i, n, day = line.split()
    key = (day.replace("/", "-"), i)
    counts[key] = counts.get(key, 0) + int(n)
with open("counts.csv", "w") as f:
    f.write("date,region_id,channel,count\n")
    for (day, i), n in sorted(counts.items()):
        f.write(f"{day},{i},fever_clinic,{n}\n")
        f.write(f"{day},{i},pharmacy,{3 * n + 1}\n")
EOF
expect 1 "two channels, none chosen" -- "$B" scan --input counts.csv --regions regions.csv
contains err.txt "channel: the file holds more than one channel"
expect 0 "counts.csv, one channel" -- "$B" scan --input counts.csv --regions regions.csv \
  --channel fever_clinic --replicates 9
contains out.txt "1,L0001;L0071;L0168;L0181;L0202;L0085;L0218;L0065,2023-12-29,2023-12-31,102,18.8472"

# The store: cases at their home grid.
"$B" gen --scale 0.002 --days 14 --seed 1 --outbreak 3 --out city >/dev/null 2>&1
"$B" import --db city.db city >/dev/null 2>&1
expect 0 "scan the store" -- "$B" scan --db city.db --replicates 9 --format json
python3 - <<'EOF' || { echo "FAIL: store JSON"; fails=$((fails + 1)); }
import csv, json
d = json.load(open("out.txt"))
cases = list(csv.DictReader(open("city/cases.csv")))
grids = list(csv.DictReader(open("city/grids.csv")))
assert d["study"]["cases"] == len(cases), (d["study"], len(cases))
assert d["study"]["locations"] == len(grids)
assert all(r.startswith("G") for c in d["clusters"] for r in c["regions"])
EOF
python3 - <<'EOF'
import csv
with open("store_counts.csv", "w") as f:
    f.write("date,region_id,count\n")
    for g in csv.DictReader(open("city/grids.csv")):
        f.write(f"2022-07-01,{g['grid_id']},1\n2022-07-02,{g['grid_id']},1\n")
EOF
expect 0 "counts.csv with the store's grids" -- "$B" scan --input store_counts.csv --db city.db \
  --replicates 9 --format json
contains out.txt '"start": "2022-07-01", "end": "2022-07-02"'
contains out.txt '"clusters": []'

finish
