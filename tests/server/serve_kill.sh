#!/usr/bin/env bash
# `fangkong serve` killed with SIGKILL while entrance checks pour in: every check answered 200
# is in the store afterwards (each is committed before its answer), and a restarted server goes
# on from there.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

serve_city --threads 2

# 300 checks, one a second from 2022-07-11 10:00 +08:00 (epoch 1657504800), 6 at a time; each
# client writes "SECOND STATUS". The server is killed while they run.
post() {
  local at=$((1657504800 + $1))
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Authorization: Bearer $TOKEN" \
    --data "{\"person_id\":\"P3\",\"place_id\":\"R3\",\"temperature\":36.5,\"mask\":true,\"at\":\"$(date -u -d "@$at" +%Y-%m-%dT%H:%M:%S+00:00)\"}" \
    "$U/v1/entrance-checks")
  echo "$at $code"
}
export -f post
export TOKEN U
seq 0 299 | xargs -P 6 -I{} bash -c 'post {}' >answers.txt &
load=$!
for _ in $(seq 400); do [ "$(grep -c ' 200$' answers.txt)" -ge 20 ] && break; sleep 0.05; done
kill -9 "$pid"
wait "$load"
wait "$pid" 2>/dev/null

grep ' 200$' answers.txt | cut -d' ' -f1 | sort >answered.txt
sqlite3 t.db 'SELECT at FROM entrance_checks' | sort >stored.txt
answered=$(wc -l <answered.txt)
equals "some answered before the kill" "$((answered >= 20))" 1
equals "some not answered (the kill came mid-way)" "$((answered < 300))" 1
equals "every answered check is stored" "$(comm -23 answered.txt stored.txt | wc -l)" 0

# A restarted server takes checks again on the same store.
start_server --threads 2
equals "after restart" "$(post 1000 | cut -d' ' -f2)" 200
kill -TERM "$pid"
wait "$pid"
equals "stored after restart" "$(sqlite3 t.db 'SELECT count(*) FROM entrance_checks WHERE at = 1657505800')" 1
# The store is whole after the kill: integrity and every reference (persons, places, tokens).
expect 0 "verify after the kill" -- "$B" verify --db t.db
finish
