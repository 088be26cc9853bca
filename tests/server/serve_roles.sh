#!/usr/bin/env bash
# Every role of the API in and out of its node, on every route that takes a token: what it may
# read and change, 404 outside its node (never the data), 403 for a route its role does not
# serve, personal data whole only for the roles that call and visit the person. The expected
# answers are written here from docs/API.md's rules, not taken from the server.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

# The town of city.bash (P1 a case and P2 of their household in G1 (小店区), P3 in G3 (迎泽区)),
# with a quarantine site in each district; the next tick houses P2 at S1.
make_city
cat >sites.csv <<'EOF'
site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,resident_channel,staff,allows_households
S1,小店区集中隔离点1号,G1,37.741,112.561,清洁区,缓冲区,污染区,员工通道,隔离人员通道,12,1
S3,迎泽区集中隔离点1号,G3,37.861,112.561,清洁区,缓冲区,污染区,员工通道,隔离人员通道,12,1
EOF
printf 'site_id,room_id,kind,beds\nS1,101,family,3\nS3,301,family,3\n' >rooms.csv
expect 0 "import sites" -- "$B" import --db t.db sites sites.csv
expect 0 "import rooms" -- "$B" import --db t.db rooms rooms.csv
expect 0 "tick" -- "$B" tick --db t.db --now 2022-07-11T09:00:00+08:00
expect 0 "site list" -- "$B" site list --db t.db
equals "P2 housed at S1" "$(pj out.txt '[s["persons"] for s in d]')" "[1,0]"

# One token in P2's node and one outside it, for each role: ROLE NODE-IN NODE-OUT.
roles="city city -
district /小店区 /迎泽区
street /小店区/坞城街道 /迎泽区/柳巷街道
community /小店区/坞城街道/坞城社区 /迎泽区/柳巷街道/柳巷社区
grid G1 G3
site S1 S3
epidemiologist /小店区 /迎泽区
entrance G1 G3"
declare -A tok
while read -r role in out; do
  expect 0 "token $role in" -- "$B" token create --db t.db --role "$role" --scope "$in"
  tok[$role.in]=$(cat out.txt)
  [ "$out" = - ] && continue
  expect 0 "token $role out" -- "$B" token create --db t.db --role "$role" --scope "$out"
  tok[$role.out]=$(cat out.txt)
done <<<"$roles"
expect 1 "a site token takes a site" -- "$B" token create --db t.db --role site --scope G1
contains err.txt "no quarantine site G1"

expect 0 "task list" -- "$B" task list --db t.db --format json
# P2's open tasks, one for each token in P2's node to acknowledge.
open_tasks=($(pj out.txt '" ".join(str(t["task_id"]) for t in d if t["person_id"] == "P2" and t["status"] in ("created", "due"))'))
equals "P2 has open tasks" "$((${#open_tasks[@]} >= 7))" 1

start_server --threads 2

# call NAME TOKEN METHOD PATH [curl args]: status to NAME.status, body to NAME.json.
call() {
  local name=$1 token=$2 method=$3 path=$4
  shift 4
  curl -s -o "$name.json" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $token" "$@" "$U$path" >"$name.status"
  cat "$name.status"
}

k=0
while read -r role in out; do
  for side in in out; do
    [ "$side" = out ] && [ "$out" = - ] && continue
    t=${tok[$role.$side]} n="$role-$side"
    # Expected, from docs/API.md: who reads persons and tasks, who posts checks, who sees whole.
    case $role in entrance) people=403 ;; *) people=$([ "$side" = in ] && echo 200 || echo 404) ;; esac
    case $role in
      city) check=200 ;;
      entrance) check=$([ "$side" = in ] && echo 200 || echo 404) ;;
      *) check=403 ;;
    esac
    case $role in grid | epidemiologist) masked=false ;; *) masked=true ;; esac

    equals "$n: person P2" "$(call "$n-p2" "$t" GET /v1/persons/P2)" "$people"
    if [ "$people" = 200 ]; then
      equals "$n: masked" "$(pj "$n-p2.json" 'd["masked"]')" "$masked"
      [ "$masked" = true ] && lacks "$n-p2.json" "李四光"
    else
      lacks "$n-p2.json" "李四"
    fi
    # P1, of the same grid, is in hospital, not at the site: a site token does not see them.
    p1=$people
    [ "$role" = site ] && [ "$people" = 200 ] && p1=404
    equals "$n: person P1" "$(call "$n-p1" "$t" GET /v1/persons/P1)" "$p1"
    equals "$n: areas" "$(call "$n-areas" "$t" GET /v1/areas)" 200
    # A case's contacts: the tracers (city, epidemiologist) and the commands of the case's node.
    case $role in grid | site | entrance) contacts=403 ;; *) contacts=$([ "$side" = in ] && echo 200 || echo 404) ;; esac
    equals "$n: contacts of P1" "$(call "$n-contacts" "$t" GET "/v1/persons/P1/contacts?depth=1")" "$contacts"
    [ "$contacts" = 200 ] && equals "$n: P2 a contact" "$(pj "$n-contacts.json" '[c["contact_person_id"] for c in d["traces"][0]["contacts"]]')" '["P2"]'

    if [ "$role" = entrance ]; then
      equals "$n: tasks" "$(call "$n-tasks" "$t" GET /v1/tasks)" 403
    else
      equals "$n: tasks" "$(call "$n-tasks" "$t" GET /v1/tasks)" 200
      seen=$(pj "$n-tasks.json" 'sum(1 for x in d if x["person_id"] == "P2")')
      if [ "$side" = in ]; then equals "$n: sees P2's tasks" "$((seen > 0))" 1; else equals "$n: no task of P2" "$seen" 0; fi
      lacks "$n-tasks.json" "李四光"
    fi

    task=${open_tasks[$k]:-${open_tasks[0]}}
    case $role in entrance) want=403 ;; *) want=$([ "$side" = in ] && echo 200 || echo 404) ;; esac
    equals "$n: ack task $task" "$(call "$n-ack" "$t" POST "/v1/tasks/$task/ack")" "$want"
    [ "$want" = 200 ] && k=$((k + 1))

    # Alerts: read and verified by city, district, street and epidemiologist (this town has none:
    # an alert_id is unknown); the briefing is the whole city's, for a token whose node is the city.
    case $role in city | district | street | epidemiologist) alerts=200 ;; *) alerts=403 ;; esac
    equals "$n: alerts" "$(call "$n-alerts" "$t" GET /v1/alerts)" "$alerts"
    [ "$alerts" = 200 ] && equals "$n: no alerts here" "$(cat "$n-alerts.json")" "[]"
    equals "$n: verify" "$(call "$n-verify" "$t" POST /v1/alerts/1/verify --data '{"verdict":"watch"}')" \
      "$([ "$alerts" = 200 ] && echo 404 || echo 403)"
    case $role in city) brief=200 ;; epidemiologist) brief=404 ;; *) brief=403 ;; esac
    equals "$n: briefing" "$(call "$n-brief" "$t" GET "/v1/briefing?date=2022-07-11")" "$brief"

    body=$(printf '{"person_id":"P3","place_id":"R1","temperature":36.5,"mask":true,"at":"2022-07-11T10:%02d:00+08:00"}' "$k")
    equals "$n: check at R1" "$(call "$n-check" "$t" POST /v1/entrance-checks --data "$body")" "$check"
  done
done <<<"$roles"

# What the outside tokens tried changed nothing: only the inside tokens' acks are stored.
expect 0 "task list after" -- "$B" task list --db t.db --format json
equals "acknowledged" "$(pj out.txt 'sum(1 for t in d if t["status"] == "acknowledged")')" "$k"
equals "checks stored (city, entrance in)" "$(sqlite3 t.db 'SELECT count(*) FROM entrance_checks')" 2
expect 0 "audit" -- "$B" audit --db t.db
equals "audited acks" "$(grep -c 'POST /v1/tasks/{id}/ack' out.txt)" "$k"
equals "audited reads: one per 200" "$(grep -c 'GET /v1/persons/{id}  ' out.txt)" 13
equals "audited contacts reads" "$(grep -c 'GET /v1/persons/{id}/contacts  contacts of person P1' out.txt)" 5

kill -TERM "$pid"
wait "$pid"
finish
