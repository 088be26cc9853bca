#!/usr/bin/env bash
# `fangkong measures apply`, `fangkong person show` and `fangkong code` on a small city: exit
# codes, the JSON keys of person show (exactly those of issue 4, plus code_reason), the dates of
# a close contact's measure under protocol-9 and protocol-10, idempotence, and no personal data.
#
# P1 is a case (isolated 07-10 18:00) who ate with P2 at R1 on 07-10; P3 worked with P2 at O1
# afterwards (secondary contact); P4 met nobody.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

town P1 P2 P3 P4
cat >samples.csv <<'EOF'
sample_id,pool_id,person_id,sampled_at,site_id,result,reported_at
S1,,P2,2022-07-11T10:00:00+08:00,SITE1,negative,
EOF
for f in grids persons places checkins cases samples; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done
cp t.db t10.db
NOW=2022-07-11T09:00:00+08:00

expect 2 "apply without --now" -- "$B" measures apply --db t.db
expect 2 "apply, bad --now" -- "$B" measures apply --db t.db --now yesterday
expect 2 "unknown subcommand" -- "$B" measures remove --db t.db
expect 1 "apply, no store" -- "$B" measures apply --db nothing.db --now $NOW
expect 0 "apply" -- "$B" measures apply --db t.db --now $NOW
contains err.txt "close_contact"
contains err.txt "secondary_contact"
expect 0 "apply again" -- "$B" measures apply --db t.db --now $NOW
contains err.txt "written 0"

expect 0 "person show P2" -- "$B" person show P2 --db t.db --format json
cp out.txt p2.json
equals "top-level keys" "$(pj p2.json 'list(d)')" '["person_id","code","code_reason","measures","site"]'
equals "measure keys" "$(pj p2.json 'sorted({tuple(m) for m in d["measures"]})')" \
  '[["category","kind","anchor_date","start_date","end_date","status","rule","tests"]]'
equals "test keys" "$(pj p2.json 'sorted({tuple(t) for m in d["measures"] for t in m["tests"]})')" '[["day","due_date","status"]]'
equals "code" "$(pj p2.json 'd["code"]')" red
equals "phases" "$(pj p2.json '"\n".join(" ".join(m[k] for k in ("category", "kind", "anchor_date", "start_date", "end_date", "status")) for m in d["measures"])')" \
  "close_contact centralized_quarantine 2022-07-10 2022-07-11 2022-07-17 active
close_contact home_health_monitoring 2022-07-10 2022-07-18 2022-07-20 active"
equals "tests" "$(pj p2.json '" ".join(t["due_date"] for m in d["measures"] for t in m["tests"])')" \
  "2022-07-11 2022-07-12 2022-07-13 2022-07-15 2022-07-17 2022-07-20"
lacks p2.json "张三丰"
lacks p2.json "13812345678"
lacks p2.json "$(idnum 3)"

# --now later: the 07-11 test was taken, the 07-12 one missed.
expect 0 "person show --now" -- "$B" person show P2 --db t.db --now 2022-07-13T09:00:00+08:00
equals "statuses" "$(pj out.txt '" ".join(t["status"] for t in d["measures"][0]["tests"])')" "done missed due due due"
expect 0 "person show text" -- "$B" person show P3 --db t.db --format text
contains out.txt "secondary_contact"
expect 0 "person show P4" -- "$B" person show P4 --db t.db --now $NOW
equals "P4" "$(pj out.txt '[d["code"], d["measures"]]')" '["green",[]]'
expect 1 "person show, unknown" -- "$B" person show P9 --db t.db
expect 2 "person show, no id" -- "$B" person show --db t.db
expect 2 "person show, bad format" -- "$B" person show P2 --db t.db --format xml

expect 0 "code P2" -- "$B" code P2 --db t.db --now $NOW
contains out.txt "red"
contains out.txt "close_contact"
expect 0 "code P3" -- "$B" code P3 --db t.db --now $NOW
contains out.txt "yellow"
expect 1 "code, unknown" -- "$B" code P9 --db t.db
expect 2 "code, no id" -- "$B" code --db t.db

# protocol-10: 5 + 3, no secondary contacts.
expect 0 "apply protocol-10" -- "$B" measures apply --db t10.db --rules "$S/rules/protocol-10.json" --now $NOW
expect 0 "person show P2 (10)" -- "$B" person show P2 --db t10.db --rules "$S/rules/protocol-10.json"
equals "phases (10)" "$(pj out.txt '"\n".join(" ".join(m[k] for k in ("kind", "start_date", "end_date")) for m in d["measures"])')" \
  "centralized_quarantine 2022-07-11 2022-07-15
home_quarantine 2022-07-16 2022-07-18"
expect 0 "person show P3 (10)" -- "$B" person show P3 --db t10.db --rules "$S/rules/protocol-10.json" --now $NOW
equals "no secondary contacts (10)" "$(pj out.txt '[d["code"], d["measures"]]')" '["green",[]]'
finish
