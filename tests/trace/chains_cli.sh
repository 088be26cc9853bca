#!/usr/bin/env bash
# fangkong chains on a hand-built city: the JSON keys, DOT with one subgraph per cluster, and
# --now demanded while a case is not isolated.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

mkdir city
printf 'grid_id,name,community,street,district,lat,lon\nG1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n' >city/grids.csv
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  n=0
  for p in P1 P2 P3 P4; do
    n=$((n + 1)); echo "$p,$(idnum_of 140105199001010${n}1),某人,M,1990-01-01,,H$n,G1,"
  done
} >city/persons.csv
printf 'place_id,name,kind,grid_id,lat,lon,capacity\nPL1,华联超市,supermarket,G1,37.74,112.56,300\nPL2,面馆,restaurant,G1,37.74,112.56,40\n' >city/places.csv
cat >city/checkins.csv <<'CSV'
person_id,place_id,checkin_at,checkout_at
P3,PL1,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00
P1,PL1,2022-07-09T12:00:00+08:00,2022-07-09T13:00:00+08:00
P1,PL2,2022-07-11T12:00:00+08:00,2022-07-11T13:00:00+08:00
P2,PL2,2022-07-11T12:30:00+08:00,2022-07-11T14:00:00+08:00
CSV
cat >city/cases.csv <<'CSV'
person_id,kind,onset_date,sampled_at,isolated_at
P3,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-11T00:00:00+08:00
P1,confirmed,2022-07-12,2022-07-12T10:00:00+08:00,2022-07-13T00:00:00+08:00
P2,asymptomatic,,2022-07-14T10:00:00+08:00,
P4,confirmed,2022-07-13,2022-07-13T10:00:00+08:00,2022-07-14T00:00:00+08:00
CSV
expect 0 "import" -- "$B" import --db t.db city

expect 0 "chains --help" -- "$B" chains --help
contains out.txt "usage: fangkong chains"
expect 2 "an unknown format" -- "$B" chains --db t.db --format xml
expect 2 "a bad --now" -- "$B" chains --db t.db --now yesterday
expect 1 "no store" -- "$B" chains --db missing.db
contains err.txt "no store at missing.db"
expect 1 "a case not isolated without --now" -- "$B" chains --db t.db
contains err.txt "P2"
contains err.txt "--now"

NOW=2022-07-16T00:00:00+08:00
expect 0 "chains as JSON" -- "$B" chains --db t.db --now $NOW
for key in '{"clusters": [' '"id": 1' '"id": 2' '"root": "P3"' '"root": "P4"' '"cases": [' \
  '"person_id": "P1", "generation": 1, "kind": "confirmed", "onset_date": "2022-07-12"' \
  '"person_id": "P2", "generation": 2, "kind": "asymptomatic", "onset_date": null' \
  '"sampled_at": "2022-07-14T10:00:00+08:00"' '"edges": [' \
  '{"from": "P3", "to": "P1", "first_exposure": "2022-07-09T12:00:00+08:00", "last_exposure": "2022-07-09T13:00:00+08:00", "places": ["PL1"]}' \
  '"from": "P1", "to": "P2"' '"places": ["PL2"]' '"cases": 4, "links": 2}'; do
  contains out.txt "$key"
done

expect 0 "chains as DOT" -- "$B" chains --db t.db --now $NOW --format dot
head -1 out.txt | grep -q '^digraph' || { echo "FAIL: DOT does not start with digraph"; fails=$((fails + 1)); }
[ "$(grep -c 'subgraph cluster_' out.txt)" -eq 2 ] || { echo "FAIL: want 2 cluster subgraphs"; cat out.txt; fails=$((fails + 1)); }
contains out.txt 'subgraph cluster_1 {'
contains out.txt 'subgraph cluster_2 {'
contains out.txt '"P3" [label="P3\ngeneration 0"]'
contains out.txt '"P3" -> "P1" [label="PL1"]'
contains out.txt '"P1" -> "P2" [label="PL2"]'

finish
