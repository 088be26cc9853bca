#!/usr/bin/env bash
# The fangkong command as a user meets it: help, usage errors, exit codes, formats.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

expect 0 "top-level help" -- "$B" --help
contains out.txt "import"
# --version says CMake's project version (one number, in CMakeLists.txt's project()).
version=$(sed -n 's/^project(fangkong VERSION \([0-9.]*\).*/\1/p' "${FK_SRC:?}/CMakeLists.txt")
expect 0 "--version" -- "$B" --version
equals "--version" "$(cat out.txt)" "fangkong $version"
expect 2 "no command" -- "$B"
expect 2 "unknown command" -- "$B" frobnicate
for c in gen import stats export verify; do
  expect 0 "$c --help" -- "$B" "$c" --help
  contains out.txt "usage: fangkong $c"
done
expect 2 "import without arguments" -- "$B" import
expect 2 "import of an unknown feed" -- "$B" import nosuchfeed x.csv
expect 2 "unknown option" -- "$B" stats --colour
expect 2 "option without its value" -- "$B" stats --db
expect 1 "stats without a store" -- "$B" stats --db missing.db
contains err.txt "no store at missing.db"
expect 1 "import of a missing file" -- "$B" import --db t.db grids missing.csv
contains err.txt "missing.csv"

printf 'grid_id,name,community,street,district,lat,lon\nG1,一,坞城社区,坞城街道,小店区,37.74,112.56\n' >grids.csv
expect 0 "clean import" -- "$B" import --db t.db grids grids.csv
contains err.txt "read 1, stored 1, duplicate 0, rejected 0"
expect 0 "re-import is idempotent" -- "$B" import --db t.db grids grids.csv
contains err.txt "read 1, stored 0, duplicate 1, rejected 0"
printf 'grid_id,name,community,street,district,lat,lon\nG2,二,坞城社区,坞城街道,小店区,91,112.56\n' >bad.csv
expect 3 "import with a rejected row" -- "$B" import --db t.db grids bad.csv
contains bad.csv.rejects.csv "2,lat,"
printf 'grid_id,name\nG3,三\n' >noheader.csv
expect 1 "a header without required columns" -- "$B" import --db t.db grids noheader.csv
contains err.txt "header lacks required column community"

expect 0 "stats as csv" -- "$B" stats --db t.db --format csv
contains out.txt "grids,1,,"
contains out.txt "小店区,1,1,1,0,0,0"
expect 0 "stats as json" -- "$B" stats --db t.db --format json
contains out.txt '"feed": "grids", "rows": 1'
expect 2 "stats in an unknown format" -- "$B" stats --db t.db --format xml
expect 0 "export" -- "$B" export --db t.db grids
contains out.txt "G1,一,坞城社区,坞城街道,小店区,37.74,112.56"

expect 0 "verify" -- "$B" verify --db t.db
contains out.txt "ok"

finish
