#!/usr/bin/env bash
# The walls between parts (src/PARTS.md) hold on this build, and scripts/check-parts refuses a
# breach: a copy of the tree with deliberately wrong uses added, built beside this build's
# objects, must fail with the file and the symbol (or header) named.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?} S=${FK_SRC:?}
build=$(dirname "$B")
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$S/tests/lib.sh"

expect 0 "the walls hold on this build" -- "$S/scripts/check-parts" "$build"
contains out.txt "every use allowed"

# A tree like this one: sources copied, the build's object libraries linked, plus the rogues.
mkdir -p tree/CMakeFiles
cp -r "$S/src" tree/src
ln -s "$S/include" tree/include
ln -s "$S/docs" tree/docs
for d in "$build"/CMakeFiles/fk_*.dir; do ln -s "$d" "tree/CMakeFiles/$(basename "$d")"; done
rogue() { # PART FILE: compiles tree/src/PART/FILE (its text on stdin) into the part's objects
  cat >"tree/src/$1/$2"
  if [ -L "tree/CMakeFiles/fk_$1.dir" ]; then # the part's objects copied, to add to them
    rm "tree/CMakeFiles/fk_$1.dir" && mkdir -p "tree/CMakeFiles/fk_$1.dir"
    cp -r "$build/CMakeFiles/fk_$1.dir/." "tree/CMakeFiles/fk_$1.dir/"
  fi
  mkdir -p "tree/CMakeFiles/fk_$1.dir/src/$1"
  cc -std=c17 -c -I"$S/include" -I"$S/src" "tree/src/$1/$2" \
    -o "tree/CMakeFiles/fk_$1.dir/src/$1/$2.o"
}
unrogue() { # PART FILE: takes the rogue away again
  rm "tree/src/$1/$2" "tree/CMakeFiles/fk_$1.dir/src/$1/$2.o"
}
refused() { # DESCRIPTION: check-parts must fail on the tree
  expect 1 "$1" -- "$S/scripts/check-parts" --src tree tree
}

# Rules is pure: it may not include the loop's header nor call the loop.
rogue rules rogue.c <<'C'
#include "fangkong/tasks.h"
int fk__rogue(struct fk_store *st, const struct fk_rules *r)
{
  return fk_tasks_advance(st, r, 0, NULL, NULL);
}
C
refused "a wrong include and call in rules"
contains out.txt "src/rules/rogue.c: uses fk_tasks_advance of loop"
contains out.txt "src/rules/rogue.c:1: includes fangkong/tasks.h of loop"
unrogue rules rogue.c

# The store knows no engine: not even a private header of the trace part.
rogue store rogue.c <<'C'
#include "trace/index.h"
C
refused "a private header of another part"
contains out.txt "src/store/rogue.c:1: includes trace/index.h, private to trace"
unrogue store rogue.c

# Two files of one part that call each other are a cycle.
rogue base rogue_a.c <<'C'
int fk__rogue_b(void);
int fk__rogue_a(int n) { return n ? fk__rogue_b() : 0; }
C
rogue base rogue_b.c <<'C'
int fk__rogue_a(int n);
int fk__rogue_b(void) { return fk__rogue_a(0); }
C
refused "a cycle between two files"
contains out.txt "base: a cycle between its files: src/base/rogue_a.c (fk__rogue_b) -> src/base/rogue_b.c"

# An include is the file the compiler finds, whatever its spelling: <...>, "../part/x.h".
rogue rules spelled.c <<'C'
#include <fangkong/tasks.h>
#include "../trace/index.h"
C
refused "includes spelled otherwise"
contains out.txt "src/rules/spelled.c:1: includes fangkong/tasks.h of loop"
contains out.txt "src/rules/spelled.c:2: includes ../trace/index.h, private to trace"
unrogue rules spelled.c

# A narrowed use narrows the headers too: the command sees the server through serve.h only;
# an outside library's header is the library's, quoted or not.
rogue cli rogue.c <<'C'
#include "server/request.h"
#include "sqlite3.h"
C
refused "a server header beyond serve.h, SQLite in the command"
contains out.txt "src/cli/rogue.c:1: includes server/request.h, private to server"
contains out.txt "src/cli/rogue.c:2: includes sqlite3.h of the library sqlite3"
unrogue cli rogue.c

# A function defined twice (here a weak copy in rules of the loop's): which one a call reaches is
# the linker's choice, and it would hide the call's breach.
rogue rules twice.c <<'C'
#include "fangkong/rules.h"
struct fk_store;
struct fk_tasks_stats;
struct fk_diag;
__attribute__((weak)) int fk_tasks_advance(struct fk_store *st, const struct fk_rules *r,
                                           fk_time now, struct fk_tasks_stats *s,
                                           struct fk_diag *d)
{
  return (void)st, (void)r, (void)now, (void)s, (void)d, 0;
}
C
refused "a function defined in two parts"
contains out.txt "fk_tasks_advance: defined in src/loop/escalate.c and src/rules/twice.c"
unrogue rules twice.c

# A folder of src/ that the table does not know is no part of the build: refused.
mkdir tree/src/goods
refused "a folder without a row"
contains out.txt "src/goods: a folder that is no part"
rmdir tree/src/goods

# A table that is not one checks nothing: each fault named with its line, and nothing passes.
cp tree/src/PARTS.md good.md
sed -i -e 's/^| trace | store, base |/| trace | store, bsae |/' \
  -e 's/^| store | base | | sqlite3 |/| store | base | | sqlite3, postgres |/' \
  -e 's/^| cli | .*/&\n| base | — | | |\n| goods | base |/' \
  -e 's/^| chains.h | trace |/| chains.h | tracing |/' tree/src/PARTS.md
refused "a malformed table"
contains out.txt "part trace, may use: no part named bsae"
contains out.txt "a row is \`| part | may use | reads | libraries |\`"
contains out.txt "part base: a second row"
contains out.txt "part store, libraries: no library named postgres"
contains out.txt "header chains.h: no part named tracing"
lacks out.txt "every use allowed"
printf '# nothing\n' >tree/src/PARTS.md
refused "an empty table"
contains out.txt "no parts table"
cp good.md tree/src/PARTS.md

# Gen may use the store's feed descriptors only.
rogue gen rogue.c <<'C'
#include "fangkong/store.h"
int fk__rogue(struct fk_store *st) { return fk_feed_get(FK_FEED_GRIDS) ? fk_store_begin(st) : 0; }
C
refused "a store call beyond the descriptors in gen"
contains out.txt "src/gen/rogue.c: uses fk_store_begin of store"
lacks out.txt "fk_feed_get of store"
finish
