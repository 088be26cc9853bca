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
