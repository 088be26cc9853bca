#!/usr/bin/env bash
# Clients that send an entrance check and leave at once, without reading the answer: the check
# is still stored (its job was queued before the client left) and counted apart, nothing the
# request held is used after it ended (the test runs under ASan in CI), and the server goes on
# answering. At the stop, the checks answered 200 plus those whose client left are exactly the
# checks stored.
set -uo pipefail
B=${FK_BIN:?} T=${FK_TMP:?}
rm -rf "$T" && mkdir -p "$T" && cd "$T"
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/city.bash"

serve_city --threads 2

# 400 checks from 20 clients at once, one a second from 2022-07-11 10:00 +08:00; every client
# leaves right after sending without reading: half close their socket, half reset it (RST),
# some of those after a fraction of a millisecond, so that the server may learn of it between
# queuing the check and committing it.
python3 - "$U" "$TOKEN" <<'PY'
import socket, sys, threading, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
def client(k):
    for i in range(k, 400, 20):
        at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(1657504800 + i))
        body = ('{"person_id":"P3","place_id":"R3","temperature":36.5,"mask":true,"at":"%s"}' % at).encode()
        head = ("POST /v1/entrance-checks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (sys.argv[2], len(body))).encode()
        s = socket.create_connection((u.hostname, u.port))
        s.sendall(head + body)
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        if i % 4 == 3: time.sleep(0.0002 * (i % 5))
        s.close()
ts = [threading.Thread(target=client, args=(k,)) for k in range(20)]
for t in ts: t.start()
for t in ts: t.join()
PY
code=$(curl -s -o after.json -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  --data '{"person_id":"P2","place_id":"R3","temperature":36.5,"mask":true,"at":"2022-07-11T11:00:00+08:00"}' \
  "$U/v1/entrance-checks")
equals "the server answers after they left" "$code" 200
kill -TERM "$pid"
wait "$pid"
equals "stopped cleanly" "$?" 0
sent=$(sed -n 's/.*stopped; \([0-9]*\) entrance checks answered 200.*/\1/p' serve.err)
left=$(sed -n 's/.*answered 200, \([0-9]*\) stored whose client left.*/\1/p' serve.err)
stored=$(sqlite3 t.db 'SELECT count(*) FROM entrance_checks')
equals "answered + left = stored" "$((sent + left))" "$stored"
equals "checks of clients that left were stored" "$((stored > 1))" 1
expect 0 "verify" -- "$B" verify --db t.db
finish
