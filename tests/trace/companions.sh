#!/bin/bash
# fangkong companions from the command line: help, usage errors (exit 2), a case not isolated
# without --now (exit 1, saying so), and CSV and JSON on a small generated city.
set -u
: "${FK_BIN:?}" "${FK_TMP:?}"
rm -rf "$FK_TMP" && mkdir -p "$FK_TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FK_BIN" companions --help | grep -q -- "--all-cases" || fail "--help does not describe --all-cases"
"$FK_BIN" gen --scale 0.0005 --days 4 --seed 5 --outbreak 2 --pings --out "$FK_TMP/city" 2>/dev/null \
  || fail "gen failed"
"$FK_BIN" import --db "$FK_TMP/c.db" "$FK_TMP/city" >/dev/null 2>&1 || fail "import failed"
for args in "" "--case P1 --all-cases" "--all-cases --format xml" "--all-cases --now yesterday" \
  "--all-cases extra"; do
  # shellcheck disable=SC2086
  "$FK_BIN" companions --db "$FK_TMP/c.db" $args >/dev/null 2>"$FK_TMP/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "companions $args: exit $rc, expected 2"
  [ -s "$FK_TMP/err" ] || fail "companions $args: no message"
done
"$FK_BIN" companions --db "$FK_TMP/c.db" --case NOBODY >/dev/null 2>"$FK_TMP/err"
[ $? -eq 1 ] && grep -q "no person NOBODY" "$FK_TMP/err" || fail "unknown person not refused"

# A case not yet isolated: make one by dropping isolated_at from the cases file.
case_id=$(sed -n 2p "$FK_TMP/city/cases.csv" | cut -d, -f1)
[ -n "$case_id" ] || fail "no case generated"
printf 'person_id,kind,onset_date,sampled_at,isolated_at\n' >"$FK_TMP/open.csv"
sed -n 2p "$FK_TMP/city/cases.csv" | cut -d, -f1-4 | sed 's/$/,/' >>"$FK_TMP/open.csv"
cp -r "$FK_TMP/city" "$FK_TMP/open" && cp "$FK_TMP/open.csv" "$FK_TMP/open/cases.csv"
"$FK_BIN" import --db "$FK_TMP/o.db" "$FK_TMP/open" >/dev/null 2>&1 || fail "import failed"
"$FK_BIN" companions --db "$FK_TMP/o.db" --case "$case_id" >/dev/null 2>"$FK_TMP/err"
[ $? -eq 1 ] || fail "a case not isolated without --now: not exit 1"
grep -q "not isolated" "$FK_TMP/err" && grep -q -- "--now" "$FK_TMP/err" || fail "no reason: $(cat "$FK_TMP/err")"
"$FK_BIN" companions --db "$FK_TMP/o.db" --case "$case_id" --now 2022-07-05T00:00:00+08:00 \
  >/dev/null 2>"$FK_TMP/err" || fail "with --now: $(cat "$FK_TMP/err")"
"$FK_BIN" companions --db "$FK_TMP/c.db" --case "$case_id" --format csv >"$FK_TMP/out.csv" \
  2>"$FK_TMP/err" || fail "companions --case failed: $(cat "$FK_TMP/err")"
head -1 "$FK_TMP/out.csv" | grep -qx "index_person_id,contact_person_id,category,cell,first_overlap,last_overlap,minutes_together,dwell_party,dwell_hours" \
  || fail "bad CSV header"
[ "$(wc -l <"$FK_TMP/out.csv")" -gt 1 ] || fail "no companions for $case_id"
awk -F, -v c="$case_id" 'NR > 1 && ($1 != c || $3 != "companion" || ($8 != "index" && $8 != "contact") || $7 <= 10) { bad = 1 } END { exit bad }' \
  "$FK_TMP/out.csv" || fail "bad CSV rows"
"$FK_BIN" companions --db "$FK_TMP/c.db" --all-cases --format json --now 2022-07-05T00:00:00+08:00 \
  >"$FK_TMP/out.json" 2>"$FK_TMP/err" || fail "companions --all-cases failed: $(cat "$FK_TMP/err")"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d and all('companions' in c for c in d)" \
  "$FK_TMP/out.json" || fail "bad JSON"
echo ok
