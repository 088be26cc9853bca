#!/usr/bin/env bash
# `fangkong trace` on a small hand-made city: CSV and JSON output, --merge, --save (checked
# with sqlite3, and idempotent), and the errors a user meets (bad depth, unknown person, a case
# not yet isolated without --now).
#
# The city: P1 is a case (isolated 07-11 12:00) who shared a meal with P2 at R1; P3 lives with
# P2, and P4 worked with P2 at office O1 (both secondary contacts of P1 through P2). P5, a
# second case, met P2 and P4 at supermarket S1. P6 is a case not yet isolated.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
printf 'grid_id,name,community,street,district,lat,lon\nG1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n' >grids.csv
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  n=1
  for p in P1:H1 P2:H2 P3:H2 P4:H4 P5:H5 P6:H6; do
    echo "${p%:*},$(idnum $n),测试,M,1990-01-01,,${p#*:},G1,"
    n=$((n + 2))
  done
} >persons.csv
cat >places.csv <<'EOF'
place_id,name,kind,grid_id,lat,lon,capacity
R1,面馆,restaurant,G1,37.74,112.56,40
S1,超市,supermarket,G1,37.74,112.56,300
O1,办公室,office,G1,37.74,112.56,50
EOF
cat >checkins.csv <<'EOF'
person_id,place_id,checkin_at,checkout_at
P1,R1,2022-07-08T12:00:00+08:00,2022-07-08T13:00:00+08:00
P2,R1,2022-07-08T12:00:00+08:00,2022-07-08T12:30:00+08:00
P2,O1,2022-07-09T09:00:00+08:00,2022-07-09T17:00:00+08:00
P4,O1,2022-07-09T09:00:00+08:00,2022-07-09T17:00:00+08:00
P5,S1,2022-07-09T18:00:00+08:00,2022-07-09T19:00:00+08:00
P4,S1,2022-07-09T18:30:00+08:00,
P2,S1,2022-07-09T18:00:00+08:00,2022-07-09T18:20:00+08:00
EOF
cat >cases.csv <<'EOF'
person_id,kind,onset_date,sampled_at,isolated_at
P1,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-11T12:00:00+08:00
P5,confirmed,2022-07-10,2022-07-10T11:00:00+08:00,2022-07-11T12:00:00+08:00
P6,asymptomatic,,2022-07-11T08:00:00+08:00,
EOF
for f in grids persons places checkins cases; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done

NOW=2022-07-12T00:00:00+08:00
HEADER="index_person_id,contact_person_id,degree,category,via_person_id,first_exposure,last_exposure,exposures,places"

expect 0 "trace --help" -- "$B" trace --help
contains out.txt "usage: fangkong trace"

# CSV: the header, then degree 1 and degree 2 rows.
expect 0 "trace one case as CSV" -- "$B" trace --db t.db --case P1 --now "$NOW"
equals "CSV header" "$(head -1 out.txt)" "$HEADER"
equals "CSV rows" "$(wc -l <out.txt | tr -d ' ')" 4
contains out.txt "P1,P2,1,close,,2022-07-08T12:00:00+08:00,2022-07-08T12:30:00+08:00,1,R1"
contains out.txt "P1,P3,2,close,P2,2022-07-08T12:00:00+08:00,2022-07-12T00:00:00+08:00,1,household"
contains out.txt "P1,P4,2,close,P2,2022-07-09T09:00:00+08:00,2022-07-09T17:00:00+08:00,1,O1"
contains err.txt "trace P1"
expect 0 "depth 1" -- "$B" trace --db t.db --case P1 --now "$NOW" --depth 1
equals "depth 1 rows" "$(wc -l <out.txt | tr -d ' ')" 2
# A missing checkout at a supermarket lasts 30 minutes: [18:30, 19:00).
expect 0 "the second case" -- "$B" trace --db t.db --case P5 --now "$NOW"
contains out.txt "P5,P4,1,general,,2022-07-09T18:30:00+08:00,2022-07-09T19:00:00+08:00,1,S1"
contains out.txt "P5,P2,1,general,,2022-07-09T18:00:00+08:00,2022-07-09T18:20:00+08:00,1,S1"
equals "second case rows" "$(wc -l <out.txt | tr -d ' ')" 3

# JSON: the keys, every exposure, and balanced brackets.
expect 0 "trace as JSON" -- "$B" trace --db t.db --case P1 --now "$NOW" --format json
contains out.txt '{"traces": ['
contains out.txt '"index_person_id": "P1"'
contains out.txt '"window_start": "2022-07-06T00:00:00+08:00"'
contains out.txt '"window_end": "2022-07-11T12:00:00+08:00"'
contains out.txt '"contact_person_id": "P3", "degree": 2, "category": "close", "via_person_id": "P2"'
contains out.txt '"contact_person_id": "P2", "degree": 1, "category": "close", "via_person_id": null'
contains out.txt '"evidence": [{"place_id": "R1", "household": false, "start": "2022-07-08T12:00:00+08:00", "end": "2022-07-08T12:30:00+08:00", "category": "close"}]'
contains out.txt '{"place_id": null, "household": true'
contains out.txt '"links": []'
equals "JSON braces" "$(tr -cd '{' <out.txt | wc -c)" "$(tr -cd '}' <out.txt | wc -c)"
equals "JSON brackets" "$(tr -cd '[' <out.txt | wc -c)" "$(tr -cd ']' <out.txt | wc -c)"
expect 0 "JSON with no cases traced" -- "$B" trace --db t.db --cases /dev/null --format json
contains out.txt '{"traces": []}'

# Without --merge a contact of two cases is listed once per case; with it, once: lowest
# degree first (P4: degree 1 of P5 beats degree 2 of P1), then the latest last exposure (P2:
# 07-09 18:20 at S1 with P5 beats 07-08 12:30 at R1 with P1).
expect 0 "all cases" -- "$B" trace --db t.db --all-cases --now "$NOW"
equals "all-cases rows of P2 and P4" "$(grep -c '^P[0-9]*,P[24],' out.txt)" 4
expect 0 "merge" -- "$B" trace --db t.db --all-cases --now "$NOW" --merge
equals "merged header" "$(head -1 out.txt)" "$HEADER"
equals "merged rows" "$(wc -l <out.txt | tr -d ' ')" 4
contains out.txt "P5,P2,1,general,,2022-07-09T18:00:00+08:00,2022-07-09T18:20:00+08:00,1,S1"
contains out.txt "P1,P3,2,close,P2,"
contains out.txt "P5,P4,1,general,,"
printf 'person_id\nP1\nP5\n' >cases.txt
expect 0 "merge from a cases file" -- "$B" trace --db t.db --cases cases.txt --now "$NOW" --merge
equals "merged rows from a file" "$(wc -l <out.txt | tr -d ' ')" 4
# A cases file is traced in its order (each case traced on a second thread while the one
# before is printed), and stops at the first person who cannot be traced, after the cases
# before it were printed.
printf 'P5\nP1\nP5\n' >cases.txt
expect 0 "cases in the file's order" -- "$B" trace --db t.db --cases cases.txt --now "$NOW"
equals "index cases in order" "$(tail -n +2 out.txt | cut -d, -f1 | uniq | tr '\n' ' ')" "P5 P1 P5 "
equals "rows of the three traces (2 + 3 + 2 and the header)" "$(wc -l <out.txt | tr -d ' ')" 8
printf 'P1\nNOBODY\nP5\n' >cases.txt
expect 1 "an unknown person in a cases file" -- "$B" trace --db t.db --cases cases.txt --now "$NOW"
contains err.txt "unknown person 'NOBODY'"
equals "rows before the unknown person" "$(tail -n +2 out.txt | cut -d, -f1 | sort -u)" "P1"
printf 'P1\nP2\nP5\n' >cases.txt
expect 1 "a person who is not a case in a cases file" -- "$B" trace --db t.db --cases cases.txt --now "$NOW"
contains err.txt "P2 is not a case"
equals "rows before the person who is not a case" "$(tail -n +2 out.txt | cut -d, -f1 | sort -u)" "P1"
# --threads: each case shared between threads; the output is the same, byte for byte.
expect 0 "all cases, JSON" -- "$B" trace --db t.db --all-cases --now "$NOW" --format json
cp out.txt one-thread.json
for n in 2 3 8; do
  expect 0 "all cases on $n threads" -- "$B" trace --db t.db --all-cases --now "$NOW" --format json --threads $n
  equals "the same JSON on $n threads" "$(cmp -s out.txt one-thread.json && echo same)" same
done
expect 0 "one case on 2 threads" -- "$B" trace --db t.db --case P1 --now "$NOW" --threads 2
equals "rows on 2 threads" "$(wc -l <out.txt | tr -d ' ')" 4
contains out.txt "P1,P4,2,close,P2,2022-07-09T09:00:00+08:00,2022-07-09T17:00:00+08:00,1,O1"
expect 2 "no threads" -- "$B" trace --db t.db --case P1 --now "$NOW" --threads 0
contains err.txt "--threads is 1 to 8"
expect 2 "too many threads" -- "$B" trace --db t.db --case P1 --now "$NOW" --threads 9
expect 2 "threads not a number" -- "$B" trace --db t.db --case P1 --now "$NOW" --threads two
expect 0 "merge as JSON" -- "$B" trace --db t.db --all-cases --now "$NOW" --merge --format json
contains out.txt '{"contacts": ['
equals "merged JSON contacts" "$(grep -o '"contact_person_id"' out.txt | wc -l | tr -d ' ')" 3
expect 0 "merge with nothing to merge" -- "$B" trace --db t.db --cases /dev/null --merge
equals "empty merge" "$(cat out.txt)" "$HEADER"

# --save writes runs, contacts and exposures; saving again replaces them.
q() { sqlite3 t.db "$1"; }
expect 0 "save" -- "$B" trace --db t.db --all-cases --now "$NOW" --save
equals "saved runs" "$(q 'select count(*) from trace_runs')" 3
equals "saved contacts" "$(q 'select count(*) from contacts')" 5
equals "saved exposures" "$(q 'select count(*) from exposures')" 5
equals "household exposures" "$(q 'select count(*) from exposures where place is null')" 1
equals "a saved secondary contact" \
  "$(q "select i.person_id, p.person_id, c.degree, c.category, v.person_id, c.first_exposure, c.last_exposure
          from contacts c join trace_runs r on r.id = c.run join persons i on i.id = r.index_person
          join persons p on p.id = c.person left join persons v on v.id = c.via
         where p.person_id = 'P4' and c.degree = 2")" \
  "P1|P4|2|close|P2|$(date -d '2022-07-09 09:00:00 +0800' +%s)|$(date -d '2022-07-09 17:00:00 +0800' +%s)"
expect 0 "save again" -- "$B" trace --db t.db --all-cases --now "$NOW" --save
equals "runs after saving again" "$(q 'select count(*) from trace_runs')" 3
equals "contacts after saving again" "$(q 'select count(*) from contacts')" 5
equals "exposures after saving again" "$(q 'select count(*) from exposures')" 5
expect 0 "save one case again" -- "$B" trace --db t.db --case P1 --now "$NOW" --depth 1 --save
equals "runs after saving one at depth 1" "$(q 'select count(*) from trace_runs')" 3
equals "contacts after saving one at depth 1" "$(q 'select count(*) from contacts')" 3
equals "exposures after saving one at depth 1" "$(q 'select count(*) from exposures')" 3
expect 0 "verify after saving" -- "$B" verify --db t.db

# Errors.
expect 2 "depth 3" -- "$B" trace --db t.db --case P1 --now "$NOW" --depth 3
contains err.txt "--depth"
expect 2 "no case named" -- "$B" trace --db t.db --now "$NOW"
expect 2 "two ways of naming cases" -- "$B" trace --db t.db --case P1 --all-cases --now "$NOW"
expect 2 "an unknown format" -- "$B" trace --db t.db --case P1 --now "$NOW" --format xml
expect 2 "a time without offset" -- "$B" trace --db t.db --case P1 --now 2022-07-12T00:00:00
expect 1 "an unknown person" -- "$B" trace --db t.db --case NOBODY --now "$NOW"
contains err.txt "unknown person 'NOBODY'"
expect 1 "a person who is not a case" -- "$B" trace --db t.db --case P2 --now "$NOW"
contains err.txt "P2 is not a case"
expect 1 "a case not isolated, without --now" -- "$B" trace --db t.db --case P6 --depth 1
contains err.txt "--now"
contains err.txt "P6"
expect 0 "a case not isolated, with --now" -- "$B" trace --db t.db --case P6 --depth 1 --now "$NOW"
equals "a case who met nobody" "$(cat out.txt)" "$HEADER"
expect 1 "no store" -- "$B" trace --db missing.db --case P1 --now "$NOW"
contains err.txt "no store at missing.db"

finish
