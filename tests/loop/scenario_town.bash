# A small town and a three-week outbreak in it, for the scenario tests (sourced by
# scenario_p9.sh and scenario_p10.sh after lib.sh; not a test itself). Writes the town's feeds
# (imported into t.db) and outbreak.ndjson, the scenario. Every time is in the city (+08:00).
#
# The town: district 小店区 (坞城街道: 坞城社区 with grids G1 and G2; 龙城街道: 龙城社区 with
# G3) and G4 in 迎泽区. A restaurant R1 in G2, offices O1 and O2 in G3, a quarantine site Q1 in
# G1 with six single rooms. Everybody lives alone (own household), born 1990 (no accessible room):
#   P1 (G1) the first case: ate at R1 07-10 12:00-13:00; sampled 07-10 10:00, isolated 18:00,
#      reported 20:00.
#   P2, P4, P5 (G2) ate at R1 with P1: close contacts, last exposure 07-10.
#   P3 (G3) worked with P2 at O1 07-10 14:00-17:00, after P2's exposure: secondary contact of P2.
#   P6 (G3) worked with P5 at O2 07-10 14:00-17:00: secondary contact of P5.
#   P7 (G1) no check-ins; becomes a case on 07-14 (sampled 08:00, isolated 12:00, reported 14:00).
#   P8 (G1) a resident screened on 07-17 and 07-21.
# Samples are taken at 10:00 and reported at 16:00 (the event's time), all negative but one:
#   P2 every day 07-11 .. 07-20; P3 07-11; P4 07-11, 07-13, 07-15, 07-17, 07-20 (not 07-12);
#   P5 07-11 negative and 07-12 POSITIVE; P8 07-17 and 07-21.
# Units' hands: G2 tells P2 of the measure (notify done 07-11 10:00); G2 takes on P4's sample task
# of 07-12 at 07-12 10:00 and never does it.
# Duty: each of the community 坞城社区, street 坞城街道, district 小店区 and the city has a day
# officer (08:00-20:00) and a night officer (20:00-08:00) every day 07-10 .. 07-26.

printf 'grid_id,name,community,street,district,lat,lon\n%s\n%s\n%s\n%s\n' \
  "G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56" \
  "G2,二网格,坞城社区,坞城街道,小店区,37.75,112.57" \
  "G3,三网格,龙城社区,龙城街道,小店区,37.70,112.55" \
  "G4,四网格,柳巷社区,柳巷街道,迎泽区,37.86,112.56" >grids.csv
{
  echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
  n=1
  for p in P1:G1 P2:G2 P3:G3 P4:G2 P5:G2 P6:G3 P7:G1 P8:G1; do
    echo "${p%:*},$(idnum $n),张三丰,M,1990-01-01,13812345678,H${p%:*},${p#*:},"
    n=$((n + 2))
  done
} >persons.csv
cat >places.csv <<'EOF'
place_id,name,kind,grid_id,lat,lon,capacity
R1,面馆,restaurant,G2,37.75,112.57,40
O1,一办公室,office,G3,37.70,112.55,50
O2,二办公室,office,G3,37.70,112.55,50
EOF
cat >sites.csv <<'EOF'
site_id,name,grid_id,lat,lon,clean_zone,buffer_zone,contaminated_zone,staff_channel,resident_channel,staff,allows_households
Q1,隔离酒店,G1,37.74,112.56,一楼西,二楼,三至五楼,西门,东门,8,0
EOF
{
  echo "site_id,room_id,kind,beds"
  for r in 101 102 103 104 105 106; do echo "Q1,$r,single,1"; done
} >rooms.csv
{
  echo "unit,from,to,officer,phone"
  for d in $(seq 10 26); do
    day=$(printf '2022-07-%02d' "$d") next=$(printf '2022-07-%02d' $((d + 1)))
    for u in "/小店区/坞城街道/坞城社区:赵:孙" "/小店区/坞城街道:钱:周" "/小店区:李:吴" "city:郑:王"; do
      IFS=: read -r unit dayname nightname <<<"$u"
      echo "$unit,${day}T08:00:00+08:00,${day}T20:00:00+08:00,${dayname}日班,13900000001"
      echo "$unit,${day}T20:00:00+08:00,${next}T08:00:00+08:00,${nightname}夜班,13900000002"
    done
  done
  echo "/小店区/坞城街道/坞城社区,2022-07-10T00:00:00+08:00,2022-07-10T08:00:00+08:00,孙夜班,13900000002"
} >duty.csv
for f in grids persons places sites rooms duty; do
  expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
done

# sample P DAY [RESULT]: a sample taken at 10:00, reported at 16:00.
sample() {
  echo "{\"at\":\"$2T16:00:00+08:00\",\"type\":\"sample\",\"sample_id\":\"S-$1-$2\",\"person_id\":\"$1\",\"sampled_at\":\"$2T10:00:00+08:00\",\"site_id\":\"ST1\",\"result\":\"${3:-negative}\",\"reported_at\":\"$2T16:00:00+08:00\"}"
}
# checkin P PLACE DAY FROM TO
checkin() {
  echo "{\"at\":\"$3T$4:00+08:00\",\"type\":\"checkin\",\"person_id\":\"$1\",\"place_id\":\"$2\",\"checkin_at\":\"$3T$4:00+08:00\",\"checkout_at\":\"$3T$5:00+08:00\"}"
}
{
  for p in P1 P2 P4 P5; do checkin $p R1 2022-07-10 12:00 13:00; done
  checkin P2 O1 2022-07-10 14:00 17:00
  checkin P3 O1 2022-07-10 14:00 17:00
  checkin P5 O2 2022-07-10 14:00 17:00
  checkin P6 O2 2022-07-10 14:00 17:00
  echo '{"at":"2022-07-10T20:00:00+08:00","type":"case","person_id":"P1","kind":"confirmed","onset_date":"2022-07-10","sampled_at":"2022-07-10T10:00:00+08:00","isolated_at":"2022-07-10T18:00:00+08:00"}'
  echo '{"at":"2022-07-11T10:00:00+08:00","type":"task_done","person_id":"P2","kind":"notify","proof":"phoned at 10:00"}'
  for d in $(seq 11 20); do sample P2 "2022-07-$d"; done
  sample P3 2022-07-11
  for d in 11 13 15 17 20; do sample P4 "2022-07-$d"; done
  echo '{"at":"2022-07-12T10:00:00+08:00","type":"task_ack","person_id":"P4","kind":"sample","day":"2022-07-12"}'
  sample P5 2022-07-11
  sample P5 2022-07-12 positive
  echo '{"at":"2022-07-14T14:00:00+08:00","type":"case","person_id":"P7","kind":"asymptomatic","sampled_at":"2022-07-14T08:00:00+08:00","isolated_at":"2022-07-14T12:00:00+08:00"}'
  sample P8 2022-07-17
  sample P8 2022-07-21
} >outbreak.ndjson

# pj FILE EXPR: the Python expression EXPR over the JSON in FILE (as d), printed.
pj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, separators=(",", ":")))' "$1" "$2"; }
# phases P: "category kind anchor start end status" a line per phase of P's measures.
phases() {
  "$B" person show "$1" --db t.db --rules "$RULES" --format json >p.json
  pj p.json '"\n".join(" ".join(m[k] or "-" for k in ("category", "kind", "anchor_date", "start_date", "end_date", "status")) for m in d["measures"])'
}
# tests P: the due dates of the tests of P's measures (in order), with their status.
tests() {
  "$B" person show "$1" --db t.db --rules "$RULES" --format json >p.json
  pj p.json '" ".join(t["due_date"] + ":" + t["status"] for m in d["measures"] for t in m["tests"])'
}
# areas: "area_id level since lifts_on" a line per area in force.
areas() {
  "$B" area list --db t.db --format json >a.json
  pj a.json '"\n".join(" ".join(str(a[k]) for k in ("area_id", "level", "since", "lifts_on")) for a in d)'
}
# run UNTIL: replays the scenario up to UNTIL (quietly).
run() {
  expect 0 "scenario run until $1" -- "$B" scenario run outbreak.ndjson --db t.db --rules "$RULES" --until "$1" --quiet
}
