# Helpers for the shell tests: run a command and check its exit status, check output files,
# and finish with one line saying how it went. Source it after setting B and T.
fails=0

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND (stdout to out.txt, stderr to err.txt).
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, want $want"
    cat err.txt
    fails=$((fails + 1))
  fi
}

# contains FILE TEXT / lacks FILE TEXT: TEXT is a fixed string, not a pattern.
contains() {
  grep -qF -- "$2" "$1" || {
    echo "FAIL: $1 lacks '$2'"
    cat "$1"
    fails=$((fails + 1))
  }
}
lacks() {
  ! grep -qF -- "$2" "$1" || {
    echo "FAIL: $1 has '$2'"
    fails=$((fails + 1))
  }
}

# equals DESCRIPTION GOT WANT: GOT must be exactly WANT.
equals() {
  [ "$2" = "$3" ] || {
    echo "FAIL: $1: got '$2', want '$3'"
    fails=$((fails + 1))
  }
}

# finish: the closing line, and the exit status.
finish() {
  if [ "$fails" -eq 0 ]; then
    echo "ok"
  else
    echo "$fails failed"
    exit 1
  fi
}

# idnum_of BODY: the 17 digits of BODY followed by their GB 11643 check character.
idnum_of() {
  local body=$1 w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) checks=10X98765432 sum=0 i
  for i in $(seq 0 16); do sum=$((sum + ${body:i:1} * w[i])); done
  echo "$body${checks:sum%11:1}"
}

# idnum N: a valid ID number for a person born 1990-01-01 in 小店区 with serial N (odd: a man).
idnum() {
  idnum_of "$(printf '14010519900101%03d' "$1")"
}

# town PERSON...: the small town of the loop's shell tests, as feed files in this folder: grid
# G1 (坞城社区, 坞城街道, 小店区), the persons named (men born 1990, ID numbers from idnum), a
# restaurant R1 and an office O1; P1 a confirmed case (sampled 07-10 10:00, isolated 18:00) who
# ate with P2 at R1 on 07-10 12:00-13:00; P2 then worked with P3 at O1 14:00-17:00.
town() {
  printf 'grid_id,name,community,street,district,lat,lon\nG1,一网格,坞城社区,坞城街道,小店区,37.74,112.56\n' >grids.csv
  {
    echo "person_id,id_number,name,sex,birth_date,phone,household_id,grid_id,address"
    local n=1 p
    for p in "$@"; do
      echo "$p,$(idnum $n),张三丰,M,1990-01-01,13812345678,H$p,G1,"
      n=$((n + 2))
    done
  } >persons.csv
  cat >places.csv <<'TOWN'
place_id,name,kind,grid_id,lat,lon,capacity
R1,面馆,restaurant,G1,37.74,112.56,40
O1,办公室,office,G1,37.74,112.56,50
TOWN
  cat >checkins.csv <<'TOWN'
person_id,place_id,checkin_at,checkout_at
P1,R1,2022-07-10T12:00:00+08:00,2022-07-10T13:00:00+08:00
P2,R1,2022-07-10T12:00:00+08:00,2022-07-10T13:00:00+08:00
P2,O1,2022-07-10T14:00:00+08:00,2022-07-10T17:00:00+08:00
P3,O1,2022-07-10T14:00:00+08:00,2022-07-10T17:00:00+08:00
TOWN
  cat >cases.csv <<'TOWN'
person_id,kind,onset_date,sampled_at,isolated_at
P1,confirmed,2022-07-10,2022-07-10T10:00:00+08:00,2022-07-10T18:00:00+08:00
TOWN
}

# pj FILE EXPR: the Python expression EXPR over the JSON in FILE (as d), printed (a string as
# is, anything else as compact JSON).
pj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, separators=(",", ":")))' "$1" "$2"; }
