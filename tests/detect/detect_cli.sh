#!/usr/bin/env bash
# `fangkong detect` as an epidemiologist meets it: R's weekly reference series in, the same
# alarms out; parameters by R's names; a range; JSON; bad rows named by line; --db not yet.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} SH=${FK_SHARED:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
REF=$SH/reference/surveillance/farringtonFlexible_salmNewport_national.csv

expect 0 "detect --help" -- "$B" detect --help
contains out.txt "farrington-noufaily"
expect 2 "no method" -- "$B" detect --input x.csv
expect 2 "unknown method" -- "$B" detect --method farington --input x.csv
contains err.txt "unknown method 'farington'"
expect 2 "--db without --channel" -- "$B" detect --method ears-c1 --db fangkong.db
contains err.txt "--db wants --channel C"

# the national salmNewport series as counts.csv (date, count: one series, no region, no channel)
{ echo "date,count"; tail -n +2 "$REF" | cut -d, -f2,3 | tr -d '"'; } >nat.csv
expect 0 "farrington-noufaily over 2011-2013" -- "$B" detect --method farrington-noufaily \
  --input nat.csv --range 2011-01-01:2013-12-31
equals "rows" "$(tail -n +2 out.txt | wc -l)" 157
head -1 out.txt >header.txt
contains header.txt "date,region_id,channel,observed,expected,upperbound,alarm,score"
# alarms and upper bounds as R's nouf_* columns (R writes NA where we write nothing)
paste -d, <(tail -n +2 out.txt | cut -d, -f1,6,7) \
  <(tail -n +2 "$REF" | awk -F, 'NR>=366 && NR<=522 {print $4","$5}' | tr -d '"') >both.txt
bad=$(awk -F, '{ub=$2==""?"NA":$2; a=$3==1?"TRUE":"FALSE"; if (ub!=$4 || a!=$5) print}' both.txt)
equals "alarms and bounds as R" "$bad" ""
equals "some alarms" "$(awk -F, '$7==1' out.txt | wc -l | tr -d ' ')" \
  "$(tail -n +2 "$REF" | cut -d, -f5 | grep -c TRUE)"

expect 0 "farrington with R's parameter names" -- "$B" detect --method farrington --param b=3 \
  --param w=2 --param thresholdMethod=muan --param limit54=1,4 --input nat.csv \
  --range 2012-01-01:2012-03-01 --format json
python3 -c 'import json,sys; r=json.load(open("out.txt")); assert len(r)==9 and all(k in r[0] for k in ("date","region_id","channel","observed","expected","upperbound","alarm","score")), r' ||
  { echo "FAIL: json"; fails=$((fails + 1)); }
expect 2 "a parameter the method lacks" -- "$B" detect --method cusum --param b=3 --input nat.csv
contains err.txt "cusum has no parameter 'b'"
expect 2 "cusum without a range or m" -- "$B" detect --method cusum --input nat.csv
contains err.txt "give m"
lacks out.txt "date,"
expect 1 "a range outside the data" -- "$B" detect --method ears-c1 --input nat.csv --range 2020-01-01:2020-02-01

printf 'date,region_id,channel,count\n2022-07-01,小店区,fever_clinic,3\n2022-07-02,小店区,fever_clinic,many\n2022-07-02,"Grid 1, east",fever_clinic,1\n' >c.csv
expect 3 "a bad row is named, the rest kept" -- "$B" detect --method threshold --input c.csv
contains err.txt "c.csv:3: count:"
contains out.txt "2022-07-01,小店区,fever_clinic,3,,1,1,3"
contains out.txt '2022-07-02,"Grid 1, east",fever_clinic,1,,1,1,1'

# many series on two threads print exactly what one thread prints, in order
for r in a b c d e f g h; do awk -F, -v r=$r 'NR > 1 {print $1","r",fever,"($2 * (length(r) + index("abcdefgh", r)) % 13)}' nat.csv; done |
  sort -R --random-source=nat.csv | { echo "date,region_id,channel,count"; cat; } >many.csv
expect 0 "one thread" -- "$B" detect --method farrington --input many.csv --range 2012-01-01:2013-12-31 --threads 1
mv out.txt one.txt
expect 0 "two threads" -- "$B" detect --method farrington --input many.csv --range 2012-01-01:2013-12-31 --threads 2
equals "same rows" "$(md5sum <out.txt)" "$(md5sum <one.txt)"
equals "series in order" "$(tail -n +2 out.txt | cut -d, -f2 | uniq | tr -d '\n')" "abcdefgh"

# evaluate: the national series as a baseline, every method, a fixed seed
expect 0 "evaluate" -- "$B" evaluate --input nat.csv --range 2011-01-01:2013-12-31 --replicates 5 \
  --format csv --param farrington.b=3 --methods ears-c1,farrington,cusum
contains out.txt "method,outbreaks,detected,sensitivity,false_alarms_per_100_series_weeks,median_days_to_detection"
equals "three methods" "$(tail -n +2 out.txt | cut -d, -f1 | tr '\n' ' ')" "ears-c1 farrington cusum "
equals "5 outbreaks each" "$(tail -n +2 out.txt | cut -d, -f2 | sort -u)" "5"
cp out.txt first.txt
expect 0 "evaluate again" -- "$B" evaluate --input nat.csv --range 2011-01-01:2013-12-31 --replicates 5 \
  --format csv --param farrington.b=3 --methods ears-c1,farrington,cusum
equals "same seed, same numbers" "$(cat out.txt)" "$(cat first.txt)"
expect 2 "evaluate an unknown method" -- "$B" evaluate --input nat.csv --methods ears-c4
expect 2 "evaluate a parameter without its method" -- "$B" evaluate --input nat.csv --param b=3
finish
