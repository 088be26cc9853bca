"""Reference figures for `fangkong briefing`, worked out straight from the store's tables with
SQL and Python (no fangkong code), as docs/BRIEFING.md defines them. Used by briefing_cli.sh:
    python3 briefing_ref.py DB NOW_EPOCH TODAY YESTERDAY WITHIN_HOURS
prints the reference as JSON with the same keys as `fangkong briefing --format json`."""
import json
import re
import sqlite3
import sys

db, now, today, yesterday, within = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
frm = now - 86400
c = sqlite3.connect(db)
one = lambda q, *a: c.execute(q, a).fetchone()[0]
out = {}

out["cases"] = {
    "new_cases": one("SELECT count(*) FROM cases WHERE sampled_at > ? AND sampled_at <= ?", frm, now),
    "new_confirmed": one("SELECT count(*) FROM cases WHERE kind = 'confirmed' AND sampled_at > ? AND sampled_at <= ?", frm, now),
    "new_asymptomatic": one("SELECT count(*) FROM cases WHERE kind = 'asymptomatic' AND sampled_at > ? AND sampled_at <= ?", frm, now),
    "total": one("SELECT count(*) FROM cases WHERE sampled_at <= ?", now),
}

known = dict(c.execute("SELECT p.person_id, k.sampled_at FROM cases k JOIN persons p ON p.id = k.person WHERE k.sampled_at <= ?", (now,)))
on_time = late = unlinked = 0
rows = c.execute("SELECT reason, created_at FROM measures WHERE category = 'close_contact' AND created_at > ? AND created_at <= ?", (frm, now)).fetchall()
for reason, created in rows:
    m = re.search(r"close contact of ([^ ,]+)", reason)
    if not m or m.group(1) not in known:
        unlinked += 1
    elif created - known[m.group(1)] <= within * 3600:
        on_time += 1
    else:
        late += 1
out["contacts"] = {
    "close_placed": len(rows),
    "secondary_placed": one("SELECT count(*) FROM measures WHERE category = 'secondary_contact' AND created_at > ? AND created_at <= ?", frm, now),
    "close_on_time": on_time, "close_late": late, "close_unlinked": unlinked, "within_hours": within,
    "share": round(on_time / len(rows), 4) if rows else None,
}

active = "FROM measures WHERE status = 'active' AND created_at <= %d" % now
out["measures"] = {
    "total": one("SELECT count(*) " + active),
    "by_category": dict(c.execute("SELECT category, count(*) " + active + " GROUP BY category")),
    "by_kind": dict(c.execute("SELECT kind, count(*) " + active + " GROUP BY kind")),
}

tests = ("FROM measure_tests t JOIN measures m ON m.id = t.measure WHERE m.status = 'active'"
         " AND m.created_at <= %d" % now)
out["tests"] = {
    "due_today": one("SELECT count(*) " + tests + " AND t.due_date = ?", today),
    "done_today": one("SELECT count(*) " + tests + " AND t.due_date = ? AND t.status IN ('done', 'positive')", today),
    "open_today": one("SELECT count(*) " + tests + " AND t.due_date = ? AND t.status = 'due'", today),
    "missed_yesterday": one("SELECT count(*) " + tests + " AND t.due_date = ? AND t.status = 'missed'", yesterday),
    "missed_open": one("SELECT count(*) " + tests + " AND t.status = 'missed'"),
}

open_ = "FROM tasks WHERE status IN ('created', 'due', 'acknowledged')"
by = {}
for district, level, n in c.execute(
        "SELECT d.name, t.level, count(*) FROM tasks t JOIN regions g ON g.id = t.region"
        " JOIN regions cm ON cm.id = g.parent JOIN regions s ON s.id = cm.parent"
        " JOIN regions d ON d.id = s.parent WHERE t.status IN ('created', 'due', 'acknowledged')"
        " AND t.due_at < ? GROUP BY d.name, t.level", (now,)):
    e = by.setdefault(district, {"district": district, "overdue": 0, "by_level": {}})
    e["overdue"] += n
    e["by_level"][["city", "district", "street", "community", "grid"][level]] = n
out["tasks"] = {
    "open": one("SELECT count(*) " + open_),
    "overdue": one("SELECT count(*) " + open_ + " AND due_at < ?", now),
    "overdue_by_district": [by[k] for k in sorted(by, key=lambda s: s.encode())],
}

areas = c.execute("SELECT a.area_id, a.kind, l.level, l.from_date, a.lifts_on FROM areas a"
                  " JOIN area_levels l ON l.area = a.id WHERE l.from_date <= ?"
                  " AND (l.to_date IS NULL OR l.to_date > ?)", (today, today)).fetchall()
rank = {"high": 0, "medium": 1, "low": 2}
out["areas"] = {
    "in_force": {lv: sum(1 for a in areas if a[2] == lv) for lv in ("low", "medium", "high")},
    "list": [{"area_id": a[0], "kind": a[1], "level": a[2], "since": a[3], "lifts_on": a[4]}
             for a in sorted(areas, key=lambda a: (rank[a[2]], a[0].encode()))],
}

stays = "FROM stays WHERE from_at <= %d AND (to_at IS NULL OR to_at > %d)" % (now, now)
waits = "FROM site_waits WHERE since <= %d AND (until IS NULL OR until > %d)" % (now, now)
out["sites"] = {
    "rooms": one("SELECT count(*) FROM rooms"),
    "rooms_occupied": one("SELECT count(DISTINCT room) " + stays),
    "beds": one("SELECT coalesce(sum(beds), 0) FROM rooms"),
    "persons": one("SELECT count(*) " + stays),
    "waiting": one("SELECT count(*) " + waits + " AND site IS NOT NULL"),
    "unsited": one("SELECT count(*) " + waits + " AND site IS NULL"),
}

checks = "FROM entrance_checks WHERE at > %d AND at <= %d" % (frm, now)
out["entrance"] = {
    "checks": one("SELECT count(*) " + checks),
    "passed": one("SELECT count(*) " + checks + " AND decision = 'pass'"),
    "denied": one("SELECT count(*) " + checks + " AND decision = 'deny'"),
    "fevers": one("SELECT count(*) " + checks + " AND fever = 1"),
}
print(json.dumps(out, ensure_ascii=False, sort_keys=True))
