# Helpers of the server's shell tests (sourced, after lib.sh): a small city and a server on it.
# (Not a *.sh file: ctest runs every tests/*/*.sh, and this one only defines.)

# pj FILE EXPR: EXPR (Python, over the JSON in FILE as d) printed: a string as it is, anything
# else as compact JSON.
pj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, separators=(",", ":")))' "$1" "$2"; }

# city_grids: grids.csv with G1 (小店区, 坞城街道) and G3 (迎泽区, 柳巷街道).
city_grids() {
  cat >grids.csv <<'EOF'
grid_id,name,community,street,district,lat,lon
G1,一网格,坞城社区,坞城街道,小店区,37.74,112.56
G3,三网格,柳巷社区,柳巷街道,迎泽区,37.86,112.56
EOF
}

# make_city: t.db with G1 (小店区) and G3 (迎泽区), P1 a case and P2 of their household in G1, P3
# in G3, restaurants R1 (G1) and R3 (G3), after the tick of 2022-07-11 08:00.
make_city() {
  city_grids
  {
    echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
    echo "P1,$(idnum 1),张三丰,M,1990-01-01,13812345678,H1,G1,"
    echo "P2,$(idnum 3),李四光,M,1990-01-01,13812345679,H1,G1,"
    echo "P3,$(idnum 5),王五一,M,1990-01-01,13812345670,H3,G3,"
  } >persons.csv
  cat >places.csv <<'EOF'
place_id,name,kind,grid_id,lat,lon,capacity
R1,一面馆,restaurant,G1,37.74,112.56,40
R3,三面馆,restaurant,G3,37.86,112.56,40
EOF
  cat >cases.csv <<'EOF'
person_id,kind,onset_date,sampled_at,isolated_at
P1,asymptomatic,,2022-07-10T10:00:00+08:00,2022-07-10T18:00:00+08:00
EOF
  for f in grids persons places cases; do
    expect 0 "import $f" -- "$B" import --db t.db "$f" "$f.csv"
  done
  expect 0 "tick" -- "$B" tick --db t.db --now 2022-07-11T08:00:00+08:00
}

# city_token: a city-wide token for t.db, in TOKEN.
city_token() {
  expect 0 "token" -- "$B" token create --db t.db --role city --scope city
  TOKEN=$(cat out.txt)
}

# serve_city OPTIONS...: the city, a city token (TOKEN) and a server on it (start_server).
serve_city() {
  make_city
  city_token
  start_server "$@"
}

# start_server OPTIONS...: `fangkong serve` on t.db on a free port; sets pid and U (its address).
start_server() {
  rm -f serve.out serve.err # not a previous server's "listening" line
  "$B" serve --db t.db --listen 127.0.0.1:0 "$@" >serve.out 2>serve.err &
  pid=$!
  for _ in $(seq 100); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
  U=$(sed -n 's/^listening on //p' serve.out)
  [ -n "$U" ] || { echo "FAIL: the server did not start"; cat serve.err; exit 1; }
}
