#!/bin/bash
# fangkong gen from the command line: help, usage errors (exit 2), a small city (exit 0, a
# summary line per feed on stderr, every file written).
set -u
: "${FK_BIN:?}" "${FK_TMP:?}"
rm -rf "$FK_TMP" && mkdir -p "$FK_TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$FK_BIN" gen --help | grep -q -- "--scale" || fail "--help does not describe --scale"
for args in "--scale 0 --out $FK_TMP/x" "--scale 3 --out $FK_TMP/x" "--days 0 --out $FK_TMP/x" \
  "--days 400 --out $FK_TMP/x" "--start 2022-02-30 --out $FK_TMP/x" "--seed -1 --out $FK_TMP/x" \
  "--scale 0.001" "--bogus 1 --out $FK_TMP/x" "--out"; do
  # shellcheck disable=SC2086
  "$FK_BIN" gen $args 2>"$FK_TMP/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "gen $args: exit $rc, expected 2"
  [ -s "$FK_TMP/err" ] || fail "gen $args: no message"
done

"$FK_BIN" gen --scale 0.001 --days 2 --seed 3 --outbreak 2 --out "$FK_TMP/city/sub" 2>"$FK_TMP/err" \
  || fail "gen failed: $(cat "$FK_TMP/err")"
for f in grids persons places sites rooms checkins cases samples arrivals vaccinations pings; do
  [ -s "$FK_TMP/city/sub/$f.csv" ] || fail "$f.csv missing"
  grep -q "$f.csv: [0-9]* rows" "$FK_TMP/err" || fail "no summary for $f"
done
echo ok
