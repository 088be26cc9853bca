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

# finish: the closing line, and the exit status.
finish() {
  if [ "$fails" -eq 0 ]; then
    echo "ok"
  else
    echo "$fails failed"
    exit 1
  fi
}
