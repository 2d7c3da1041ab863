# Sourced by the bench scripts: CPU of a process tree from /proc (no tools beyond ps and awk).

tree() { # the pid and its descendants
  local out=$1 kids
  kids=$(ps -o pid= --ppid "$1" 2>/dev/null || true)
  for k in $kids; do out="$out $(tree "$k")"; done
  echo "$out"
}

ticks() { # utime+stime of the given pids, in clock ticks
  local t=0
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    t=$((t + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat")))
  done
  echo $t
}
