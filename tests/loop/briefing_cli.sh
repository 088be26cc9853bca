#!/usr/bin/env bash
# `fangkong briefing` on a generated city (seeded: the same files every run) ticked day by day
# with `fangkong tick`, with entrance checks made by `fangkong check`. Every figure is compared
# with briefing_ref.py, which works it out from the store's tables with SQL (not fangkong code).
# The first tick comes a day after the first case was sampled, so that tick's close contacts are
# late; later cases are traced the evening they are sampled (on time).
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
REF="$(dirname "$0")/briefing_ref.py"
pj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, separators=(",", ":"), sort_keys=True))' "$1" "$2"; }

for r in protocol-9 protocol-10; do
  expect 0 "rules show $r" -- "$B" rules show --rules "$S/rules/$r.json" --format json
  equals "$r briefing deadline" "$(pj out.txt 'd["briefing"]["placed_within_hours"]')" 24
done

expect 0 "gen" -- "$B" gen --scale 0.001 --days 6 --seed 5 --outbreak 2 --out city
expect 0 "import" -- "$B" import --db t.db city
expect 2 "no --now" -- "$B" briefing --db t.db
expect 2 "bad format" -- "$B" briefing --db t.db --now 2022-07-03T20:00:00+08:00 --format xml
expect 1 "no store" -- "$B" briefing --db none.db --now 2022-07-03T20:00:00+08:00

# Two persons of the city and a place, for entrance checks (no name printed anywhere).
P_A=$(sed -n 2p city/persons.csv | cut -d, -f1)
P_B=$(sed -n 3p city/persons.csv | cut -d, -f1)
NAME_A=$(sed -n 2p city/persons.csv | cut -d, -f3)
PLACE=$(sed -n 2p city/places.csv | cut -d, -f1)

# compare DAY SECTION: the briefing's section against the reference's.
compare() {
  local day=$1 sec=$2 got want
  case $sec in
  measures) got=$(pj "b$day.json" '{k: (v if k == "total" else {a: b for a, b in v.items() if b}) for k, v in d["measures"].items() if k != "by_category_kind"}') ;;
  tasks) got=$(pj "b$day.json" '{**d["tasks"], "overdue_by_district": [{**x, "by_level": {a: b for a, b in x["by_level"].items() if b}} for x in d["tasks"]["overdue_by_district"]]}') ;;
  sites) got=$(pj "b$day.json" '{k: v for k, v in d["sites"].items() if k != "list"}') ;;
  *) got=$(pj "b$day.json" "d[\"$sec\"]") ;;
  esac
  want=$(pj "r$day.json" "d[\"$sec\"]")
  equals "07-$day $sec" "$got" "$want"
}

nonzero=""
for day in 03 04 05; do
  now="2022-07-${day}T20:00:00+08:00"
  expect 0 "tick 07-$day" -- "$B" tick --db t.db --now "$now"
  if [ "$day" = 04 ]; then
    expect 0 "check A" -- "$B" check "$P_A" "$PLACE" --db t.db --at 2022-07-04T10:00:00+08:00 \
      --temperature 37.8 --mask 1
    expect 0 "check B" -- "$B" check "$P_B" "$PLACE" --db t.db --at 2022-07-04T10:05:00+08:00 \
      --temperature 36.4 --mask 1
    expect 0 "check A yesterday" -- "$B" check "$P_A" "$PLACE" --db t.db \
      --at 2022-07-03T10:00:00+08:00 --temperature 36.4 --mask 1
  fi
  expect 0 "briefing 07-$day" -- "$B" briefing --db t.db --now "$now" --format json
  cp out.txt "b$day.json"
  epoch=$(date -d "$now" +%s)
  yesterday=$(date -d "2022-07-$day -1 day" +%F)
  python3 "$REF" t.db "$epoch" "2022-07-$day" "$yesterday" 24 >"r$day.json" || fails=$((fails + 1))
  for sec in cases contacts measures tests tasks areas sites entrance; do
    compare "$day" "$sec"
  done
  equals "07-$day keys" "$(pj "b$day.json" 'sorted(d)')" \
    '["areas","cases","contacts","date","entrance","from","measures","now","sites","tasks","tests"]'
  nonzero="$nonzero $(pj "b$day.json" '[d["contacts"]["close_on_time"] > 0, d["contacts"]["close_late"] > 0, d["measures"]["total"] > 0, d["tests"]["due_today"] > 0, d["tasks"]["overdue"] > 0, d["areas"]["in_force"]["high"] > 0, d["sites"]["persons"] > 0, d["entrance"]["fevers"] > 0]')"
done
# The city must exercise the figures: each of them non-zero on some day.
equals "figures exercised" "$(python3 -c 'import json,sys; print([any(c) for c in zip(*[json.loads(x) for x in sys.argv[1:]])])' $nonzero)" \
  "[True, True, True, True, True, True, True, True]"
equals "07-04 entrance" "$(pj b04.json '[d["entrance"]["checks"], d["entrance"]["fevers"]]')" '[2,1]'

expect 0 "text" -- "$B" briefing --db t.db --now 2022-07-05T20:00:00+08:00
for h in "新增病例 new cases" "密接管控" "管控人员 people under measure" "核酸检测" "逾期任务 overdue tasks" \
  "风险区 risk areas" "集中隔离点 quarantine sites" "场所查验 entrance checks"; do
  contains out.txt "$h"
done
lacks out.txt "$NAME_A"
lacks b04.json "$NAME_A"
finish
