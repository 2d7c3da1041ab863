#!/usr/bin/env bash
# Sensor CPU with kernel drop tracing on vs off, side by side (docs/performance.md, "Kernel drop
# tracing: sensor CPU"). Needs root, bpftrace, gcc and a built ./hoptrace (mvn install).
#
# Two namespaces bnA (10.98.0.1) and bnB (10.98.0.2) joined by a veth pair. Two sensors capture
# bnB's bnb0 at the same time, one with --drop-reasons on, one with off, publishing to one
# embedded broker. Phases (PHASE_S seconds each, after a warm-up):
#   idle     nothing sent
#   pass     ~PASS_PPS UDP packets/s from bnA to a recvmmsg sink in bnB (nothing dropped by design)
#   drop     ~DROP_PPS UDP packets/s to a port bnB's iptables drops (NETFILTER_DROP)
# The rate is a target: flood (bench/drops/flood.c) paces itself and sends what the CPU allows.
# Per phase: CPU-seconds (utime + stime from /proc/PID/stat, USER_HZ) of each sensor's process
# tree (the JVM and its children: tcpdump capture helpers, bpftrace), bpftrace on its own, and
# what the sender sent and the sink received.
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE_S=${PHASE_S:-20}
PASS_PPS=${PASS_PPS:-100000}
DROP_PPS=${DROP_PPS:-50000}
FLOODERS=${FLOODERS:-2} # parallel senders (one flow each), the rate split between them
WORK=$(mktemp -d /tmp/hoptrace-dropbench.XXXXXX)
HZ=$(getconf CLK_TCK)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del bnA 2>/dev/null || true
  ip netns del bnB 2>/dev/null || true
}
trap cleanup EXIT

gcc -O2 -o "$WORK/flood" bench/drops/flood.c
gcc -O2 -o "$WORK/sink" bench/drops/sink.c

ip netns add bnA
ip netns add bnB
ip link add bna0 netns bnA type veth peer name bnb0 netns bnB
ip -n bnA addr add 10.98.0.1/24 dev bna0
ip -n bnB addr add 10.98.0.2/24 dev bnb0
for n in bnA bnB; do ip -n $n link set lo up; done
ip -n bnA link set bna0 up
ip -n bnB link set bnb0 up
ip netns exec bnB iptables -A INPUT -p udp --dport 9999 -j DROP

port=$((19092 + RANDOM % 1000))
./hoptrace broker --port "$port" > "$WORK/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do grep -q "^bootstrap:" "$WORK/broker.log" && break; sleep 1; done
grep -q "^bootstrap:" "$WORK/broker.log" || { echo "broker did not start"; cat "$WORK/broker.log"; exit 1; }

mport=$((port + 1000))
sensor() { # sensor NODE MODE METRICS_PORT: starts it, its pid in SENSOR_PID
  ./hoptrace sensor --node "$1" --bootstrap "127.0.0.1:$port" --netns bnB --iface bnb0 \
    --no-inventory --drop-reasons "$2" --metrics-port "$3" --duration 600 \
    > "$WORK/sensor-$1.log" 2>&1 &
  SENSOR_PID=$!
  PIDS+=("$SENSOR_PID")
}
sensor bench-on on "$mport"
S_ON=$SENSOR_PID
sensor bench-off off $((mport + 1))
S_OFF=$SENSOR_PID
for _ in $(seq 1 180); do
  grep -q "kernel drop reasons: on" "$WORK/sensor-bench-on.log" \
    && grep -q "capturing on" "$WORK/sensor-bench-off.log" && break
  sleep 1
done
grep -q "kernel drop reasons: on" "$WORK/sensor-bench-on.log" || { echo "tracing did not start"; cat "$WORK/sensor-bench-on.log"; exit 1; }

# shellcheck source=bench/proc-cpu.sh
. bench/proc-cpu.sh
bpftrace_of() { for p in $(tree "$1"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = bpftrace ] && echo "$p"; done; true; }

sleep 10 # warm-up: the JVMs' start is not measured
printf '%-6s %10s %10s %10s %12s %12s %10s\n' phase sent received on_cpu_s off_cpu_s bpftrace_s load1
phase() { # phase NAME COMMAND...
  local name=$1; shift
  local on0 off0 bt0 on1 off1 bt1 bt
  bt=$(bpftrace_of "$S_ON")
  on0=$(ticks $(tree "$S_ON")); off0=$(ticks $(tree "$S_OFF")); bt0=$(ticks $bt)
  local sent=- recv=-
  if [ $# -gt 0 ]; then
    "$@" > "$WORK/$name.out"
    sent=$(awk '/^sent/ {n += $2} END {print n}' "$WORK/$name.out")
    recv=$(awk '/^received/ {print $2}' "$WORK/$name.out")
  else
    sleep "$PHASE_S"
  fi
  on1=$(ticks $(tree "$S_ON")); off1=$(ticks $(tree "$S_OFF")); bt1=$(ticks $bt)
  printf '%-6s %10s %10s %10.2f %12.2f %12.2f %10s\n' "$name" "$sent" "${recv:--}" \
    "$(echo "($on1 - $on0) / $HZ" | bc -l)" "$(echo "($off1 - $off0) / $HZ" | bc -l)" \
    "$(echo "($bt1 - $bt0) / $HZ" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
}
pass() {
  ip netns exec bnB "$WORK/sink" 7000 $((PHASE_S + 2)) > "$WORK/sink.out" &
  local sink=$!
  sleep 0.5
  flood 7000 "$PASS_PPS"
  wait $sink
  cat "$WORK/sink.out"
}
flood() { # flood PORT PPS: FLOODERS senders in parallel, their "sent" lines
  local i pids=()
  for i in $(seq 1 "$FLOODERS"); do
    ip netns exec bnA "$WORK/flood" 10.98.0.2 "$1" $(($2 / FLOODERS)) "$PHASE_S" &
    pids+=($!)
  done
  wait "${pids[@]}"
}
drop() { flood 9999 "$DROP_PPS"; }
phase idle
phase pass pass
phase drop drop
sleep 3
echo "kernel drops the on-sensor counted (/metrics):"
curl -s "http://127.0.0.1:$mport/metrics" | grep '^hoptrace_kernel_drops' || true
echo "packets each sensor captured (last stats line):"
for n in bench-on bench-off; do grep -o "$n/bnb0: [0-9]* pkts" "$WORK/sensor-$n.log" | tail -1; done
echo "logs: $WORK"
