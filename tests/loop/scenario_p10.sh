#!/usr/bin/env bash
# The outbreak of scenario_town.bash under protocol-10 (the 20 measures of November 2022), the
# answers worked out by hand from rules/protocol-10.json: close contacts 5+3, no secondary
# contacts, only high (and low) areas, a high area lifted after 5 days without infection.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
RULES=$S/rules/protocol-10.json
. "$(dirname "$0")/scenario_town.bash"

run 2022-07-12T12:00:00+08:00
# P2, close contact, last exposure 07-10 = day 0: 5 days centralized quarantine, days 1..5 =
# 07-11..07-15, tests on days 1, 2, 3, 5 = 07-11, 07-12, 07-13, 07-15; then 3 days home
# quarantine, days 1..3 = 07-16..07-18, tests on its days 1 and 3 = 07-16, 07-18.
equals "P2 phases" "$(phases P2)" \
  "close_contact centralized_quarantine 2022-07-10 2022-07-11 2022-07-15 active
close_contact home_quarantine 2022-07-10 2022-07-16 2022-07-18 active"
equals "P2 tests" "$(tests P2)" \
  "2022-07-11:done 2022-07-12:due 2022-07-13:due 2022-07-15:due 2022-07-16:due 2022-07-18:due"
# No secondary contacts (不再判定密接的密接): P3 and P6 get nothing and stay green.
for p in P3 P6; do
  "$B" person show $p --db t.db --rules "$RULES" --format json >p.json
  equals "$p nothing" "$(pj p.json '[d["code"], d["measures"]]')" '["green",[]]'
done
# Areas: G1 (P1's home) high from 07-10; 5 days without infection 07-11..07-15 -> lifted 07-16.
# R1 is a restaurant, not a workplace the rules name: G2 is no area (and there are no medium
# areas). 小店区 low while G1 is high.
equals "areas 07-12" "$(areas)" "G1 high 2022-07-10 2022-07-16
小店区 low 2022-07-10 2022-07-16"

run 2022-07-15T12:00:00+08:00
# P5 was positive on 07-12: without secondary contacts there is nobody to reclassify.
"$B" person show P6 --db t.db --rules "$RULES" --format json >p.json
equals "P6 still nothing" "$(pj p.json 'd["measures"]')" '[]'
# P7 (G1) known 07-14 restarts G1: days 07-15..07-19 -> lifted 07-20.
equals "areas 07-15" "$(areas)" "G1 high 2022-07-10 2022-07-20
小店区 low 2022-07-10 2022-07-20"
# P4's missed day-2 test escalates as under protocol-9 (same task and escalation rules).
"$B" task list --db t.db --format json >tasks.json
equals "P4 task" "$(pj tasks.json '[[t["level"], [e["at"] for e in t["escalations"]]] for t in d if t["person_id"] == "P4" and t["kind"] == "sample" and t["due_at"] == "2022-07-13T00:00:00+08:00"]')" \
  '[["city",["2022-07-13T02:00:00+08:00","2022-07-13T06:00:00+08:00","2022-07-13T12:00:00+08:00","2022-07-14T00:00:00+08:00"]]]'

run 2022-07-20T12:00:00+08:00
# P2: last day 07-18, every test taken (a sample every day) -> released at the 07-19 tick; the
# release task is due a day later.
equals "P2 released" "$(phases P2 | cut -d' ' -f6 | sort -u)" "released"
"$B" task list --db t.db --format json >tasks.json
equals "P2 release task" "$(pj tasks.json '[t["due_at"] for t in d if t["person_id"] == "P2" and t["kind"] == "release"]')" \
  '["2022-07-20T09:00:00+08:00"]'
# P4 missed 07-12 (and 07-16, 07-18: its samples follow protocol-9's days): not released.
equals "P4 tests" "$(tests P4)" \
  "2022-07-11:done 2022-07-12:missed 2022-07-13:done 2022-07-15:done 2022-07-16:missed 2022-07-18:missed"
# G1 lifted 07-20: nothing in force.
equals "areas 07-20" "$(areas)" ""
finish
