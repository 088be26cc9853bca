#!/usr/bin/env bash
# `fangkong rules check` and `rules show` as an official meets them: the shipped rule sets pass,
# a broken one fails with one line per mistake naming its path in the file.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

expect 0 "rules --help" -- "$B" rules --help
contains out.txt "usage: fangkong rules check FILE"
expect 2 "rules without a subcommand" -- "$B" rules
expect 2 "rules with an unknown subcommand" -- "$B" rules frobnicate

expect 0 "check protocol-9" -- "$B" rules check "$S/rules/protocol-9.json"
contains out.txt "$S/rules/protocol-9.json: ok (protocol-9, "
expect 0 "check protocol-10" -- "$B" rules check "$S/rules/protocol-10.json"
contains out.txt "protocol-10.json: ok (protocol-10, "
lacks out.txt "note:"

sed -e 's/"days": 7, "test_days": \[1, 2, 3, 5, 7\], "source"/"days": "seven", "test_days": [1, 2, 3, 5, 7], "source"/' \
  -e 's/"anchor": "left_area"/"anchor": "leaving"/' \
  -e 's/"none": "green"/"none": "blue", "colour": 1/' \
  "$S/rules/protocol-9.json" >bad.json
expect 1 "check a broken file" -- "$B" rules check bad.json
contains out.txt "bad.json: measures.close_contact.phases[0].days: must be a whole number"
contains out.txt "bad.json: measures.high_risk_area.anchor: must be one of last_exposure, arrival, left_area, identified"
contains out.txt "bad.json: measures.medium_risk_area.anchor: must be one of"
contains out.txt "bad.json: codes.none: must be one of green, yellow, red"
contains out.txt "bad.json: codes.colour: unknown key"
lacks out.txt ": ok ("
[ "$(wc -l <out.txt)" -eq 6 ] || { echo "FAIL: want 6 lines"; cat out.txt; fails=$((fails + 1)); }

printf '{"name": "x",\n "trace": ' >notjson.json
expect 1 "check a file that is not JSON" -- "$B" rules check notjson.json
contains out.txt "notjson.json: line 2: not JSON"
expect 1 "check a missing file" -- "$B" rules check missing.json
contains err.txt "missing.json"

expect 0 "show the default" -- "$B" rules show
contains out.txt "protocol-9 (issued 2022-06-28)"
contains out.txt "centralized_quarantine 7 d + home_health_monitoring 3 d"
contains out.txt "1,2,3,5,7; 3"
expect 0 "show protocol-10 as JSON" -- "$B" rules show --rules "$S/rules/protocol-10.json" --format json
contains out.txt '"name": "protocol-10"'
contains out.txt '"category": "secondary_contact",'
python3 -c 'import json,sys; d=json.load(open("out.txt")); m={x["category"]: x for x in d["measures"]}
assert [p["days"] for p in m["close_contact"]["phases"]] == [5, 3]
assert m["secondary_contact"]["applies"] is False
assert [a["level"] for a in d["areas"]] == ["high", "low"]' || { echo "FAIL: JSON"; fails=$((fails + 1)); }
expect 2 "show in csv" -- "$B" rules show --format csv
expect 1 "show a broken file" -- "$B" rules show --rules bad.json
contains err.txt "rules check"

finish
