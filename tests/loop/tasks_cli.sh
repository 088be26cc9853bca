#!/usr/bin/env bash
# `fangkong tick` and `fangkong task` end to end on a small town: the duty roster feed (and its
# rejects), the JSON keys of task list (exactly those of issue 4, plus reason, proof and
# escalations), a unit's hand on a task, escalation to the masked officer on duty, idempotence.
#
# P1 is a case (isolated 07-10 18:00) who ate with P2 at R1 on 07-10; P3 worked with P2 at O1
# afterwards. Ticked at 07-11 09:00: P2's notify is due 11:00 (120 min), community at 13:00.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"

town P1 P2 P3
cat >duty.csv <<'EOF'
unit,from,to,officer,phone
/小店区/坞城街道/坞城社区,2022-07-11T08:00:00+08:00,2022-07-11T16:00:00+08:00,王建国,13911112222
/小店区/坞城街道/坞城社区,2022-07-11T16:00:00+08:00,2022-07-11T08:00:00+08:00,李四,13911113333
city,2022-07-01T00:00:00+08:00,2022-08-01T00:00:00+08:00,赵六,not-a-phone
EOF
for f in grids persons places checkins cases; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done
expect 3 "import duty: two bad rows" -- "$B" import --db t.db duty duty.csv
contains duty.csv.rejects.csv "to is not after from"
contains duty.csv.rejects.csv "phone"
equals "duty rows kept" "$(sqlite3 t.db 'SELECT count(*) FROM duty')" 1

expect 2 "tick without --now" -- "$B" tick --db t.db
expect 1 "tick, no store" -- "$B" tick --db none.db --now 2022-07-11T09:00:00+08:00
expect 0 "tick" -- "$B" tick --db t.db --now 2022-07-11T09:00:00+08:00
contains err.txt "traced 1 cases"
expect 0 "task list" -- "$B" task list --db t.db
cp out.txt tasks.json
equals "keys" "$(pj tasks.json 'sorted(d[0].keys())')" \
  '["due_at","escalations","kind","level","person_id","proof","reason","status","task_id","unit"]'
equals "P2 notify due" "$(pj tasks.json '[t["due_at"] for t in d if t["person_id"]=="P2" and t["kind"]=="notify"][0]')" \
  "2022-07-11T11:00:00+08:00"
equals "P2 sample days" "$(pj tasks.json '[t["due_at"][:10] for t in d if t["person_id"]=="P2" and t["kind"]=="sample"]')" \
  '["2022-07-12","2022-07-13","2022-07-14","2022-07-16","2022-07-18","2022-07-21"]'
p3=$(pj tasks.json '[t["task_id"] for t in d if t["person_id"]=="P3" and t["kind"]=="notify"][0]')
p2=$(pj tasks.json '[t["task_id"] for t in d if t["person_id"]=="P2" and t["kind"]=="notify"][0]')

expect 0 "ack" -- "$B" task ack "$p3" --db t.db --now 2022-07-11T09:30:00+08:00
expect 2 "done without --now" -- "$B" task done "$p3" --db t.db --proof x
expect 1 "done without proof" -- "$B" task done "$p3" --db t.db --now 2022-07-11T10:00:00+08:00
expect 0 "done" -- "$B" task done "$p3" --db t.db --proof "called, notice read" --now 2022-07-11T10:00:00+08:00
expect 1 "done twice" -- "$B" task done "$p3" --db t.db --proof again --now 2022-07-11T10:05:00+08:00
contains err.txt "done already"
expect 1 "unknown task" -- "$B" task ack 9999 --db t.db --now 2022-07-11T10:00:00+08:00

expect 0 "tick 14:00" -- "$B" tick --db t.db --now 2022-07-11T14:00:00+08:00
expect 0 "task list open" -- "$B" task list --db t.db --open
cp out.txt open.json
equals "P3 notify closed" "$(pj open.json '[t for t in d if t["task_id"]=='"$p3"']')" "[]"
equals "P2 notify level" "$(pj open.json '[t["level"] for t in d if t["task_id"]=='"$p2"'][0]')" "community"
equals "officer masked" "$(pj open.json '[t["escalations"] for t in d if t["task_id"]=='"$p2"'][0]')" \
  '[{"level":"community","at":"2022-07-11T13:00:00+08:00","unit":"/小店区/坞城街道/坞城社区","officer":"王*","phone":"139****2222"}]'
lacks open.json "王建国"
lacks open.json "13911112222"
expect 0 "by unit, a street" -- "$B" task list --db t.db --unit /小店区/坞城街道 --status done
equals "the street's done tasks" "$(pj out.txt '[t["task_id"] for t in d]')" "[$p3]"
expect 0 "text" -- "$B" task list --db t.db --format text
contains out.txt "tasks (任务)"
lacks out.txt "张三丰"

sqlite3 t.db "SELECT * FROM tasks ORDER BY id; SELECT * FROM task_escalations ORDER BY task, level;" >before.txt
expect 0 "tick 14:00 again" -- "$B" tick --db t.db --now 2022-07-11T14:00:00+08:00
sqlite3 t.db "SELECT * FROM tasks ORDER BY id; SELECT * FROM task_escalations ORDER BY task, level;" >after.txt
cmp -s before.txt after.txt || { echo "FAIL: the same now changed the tasks"; fails=$((fails + 1)); }
finish
