#!/usr/bin/env python3
"""bench/contacts probe: posts a check-in (POST /v1/entrance-checks) for a person who is not yet
a contact of CASE, at PLACE while the case was there, then polls GET /v1/persons/CASE/contacts
until the person shows; again and again for SECONDS. Prints the delays (from the check's answer
to the first answer listing the contact) and the contacts reads' latencies.
usage: probe.py URL TOKEN CASE PLACE AT_EPOCH NOW CANDIDATES_FILE SECONDS"""
import http.client, json, random, sys, time, urllib.parse

url, token, case, place, at, now, cand_file, secs = sys.argv[1:9]
at, secs = int(at), float(secs)
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
auth = {"Authorization": "Bearer " + token}
path = "/v1/persons/%s/contacts?depth=1&now=%s" % (case, urllib.parse.quote(now))
reads = []


def contacts():
    t = time.monotonic()
    conn.request("GET", path, headers=auth)
    r = conn.getresponse()
    body = r.read()
    reads.append(time.monotonic() - t)
    if r.status != 200:
        sys.exit("contacts: %d %s" % (r.status, body[:200]))
    return {c["contact_person_id"] for t in json.loads(body)["traces"] for c in t["contacts"]}


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))


random.seed(1)
cands = [l.strip() for l in open(cand_file) if l.strip() and l.strip() != case]
known = contacts()
delays, i, end = [], 0, time.monotonic() + secs
for who in cands:
    if time.monotonic() > end:
        break
    if who in known:
        continue
    body = json.dumps({"person_id": who, "place_id": place, "temperature": 36.5, "mask": True,
                       "at": iso(at + 60 + i)})
    i += 1
    conn.request("POST", "/v1/entrance-checks", body=body,
                 headers=dict(auth, **{"Content-Type": "application/json"}))
    r = conn.getresponse()
    ans = r.read()
    t0 = time.monotonic()
    if r.status != 200 or not json.loads(ans).get("recorded") or json.loads(ans)["decision"] != "pass":
        continue  # denied (a measure, a fever) or stored before: not a probe
    while True:
        known = contacts()
        if who in known:
            delays.append(time.monotonic() - t0)
            break
        if time.monotonic() - t0 > 10:
            sys.exit("probe: %s not seen within 10 s" % who)
        time.sleep(0.002)
    time.sleep(random.uniform(0.1, 0.6))  # not in step with the refreshes


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000 if xs else float("nan")


print("probes %d" % len(delays))
print("delay_p50_ms %.1f" % pct(delays, 50))
print("delay_p90_ms %.1f" % pct(delays, 90))
print("delay_max_ms %.1f" % (max(delays) * 1000 if delays else float("nan")))
print("reads %d" % len(reads))
print("read_p50_ms %.1f" % pct(reads, 50))
print("read_p99_ms %.1f" % pct(reads, 99))
