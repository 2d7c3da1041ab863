#!/usr/bin/env bash
# Live capture: `hoptrace sensor` vs `tcpdump -i IF -w /dev/null` on the same veth, on the same
# packets at the same time (docs/performance.md, "Live capture: sensor vs tcpdump"). Needs root,
# tcpreplay, tcpdump, capinfos, curl and a built ./hoptrace (it builds on first use).
#
# Two namespaces lcA and lcB joined by a veth pair (lca0 -- lcb0, MTU 9000, no addresses, IPv6
# off so the kernel sends nothing of its own). Per sensor ROLE in ROLES, one sensor captures lcb0
# for the whole series, publishing to an embedded broker (one for the run):
#   ./hoptrace sensor --node lb --netns lcB --iface lcb0 --role lcb0=ROLE --summaries SUMMARIES
#     --drop-reasons off --no-inventory --metrics-port P
# ROLE UPLINK: a node interface (64 MiB ring, buffered, 100 ms timeout); VETH: a pod's veth as
# `--auto` captures it (1 MiB ring, immediate mode). It is warmed up first (WARMUP packets at
# WARMUP_PPS: the JIT compiles the hot path; a sensor runs for days), not counted. Then for every
# rate in RATES and every repeat, a fresh
#   ip netns exec lcB tcpdump -n -i lcb0 -w /dev/null     (its defaults: whole frames, 2 MiB, 1 s)
# starts, and one replay into lca0
#   ip netns exec lcA tcpreplay -q -K -i lca0 --limit=PACKETS (--topspeed | --pps=RATE) CAPTURE
# is captured by both at once. Per replay and tool: packets tcpreplay sent and its achieved rate,
# packets that arrived on lcb0 (rx_packets), packets captured (tcpdump: its "packets captured";
# sensor: hoptrace_sensor_packets_captured on /metrics), kernel drops (libpcap ps_drop: tcpdump's
# "dropped by kernel", the sensor's hoptrace_sensor_capture_drops), CPU seconds (utime + stime from
# /proc/PID/stat, the process and its children, from just before the replay until the sensor has
# drained it) and CPU microseconds per captured packet; the broker's CPU next to the sensor's; the
# load average. The sensor's figures are deltas of its counters over the replay. The kernel's work
# of copying each packet into the capture rings (softirq on the sending CPU) is charged to
# tcpreplay, not to the tools, for both alike. NICE (e.g. -10) runs tcpreplay, tcpdump and the
# sensor at that niceness, all alike (other processes on the machine stay at theirs).
#
# Usage: bench/run-live-capture.sh CAPTURE.pcap
#   make one: java -cp sensor/target/classes io.hoptrace.synth.MixedCaptureGenerator /tmp/mix-1m.pcap 1000000 1
# Env: RATES (default "50000 200000 500000 top"; "top" = --topspeed), REPEAT (2), PACKETS (1000000,
#   at most the file's count), ROLES ("UPLINK VETH"), SUMMARIES (reduced), WARMUP (1000000),
#   WARMUP_PPS (25000), NICE (0), HOPTRACE (path to the launcher), SENSOR_ARGS (extra options),
#   GAP (31: seconds of quiet before each replay, one more than the reducer's idle timeout, so
#   that a replay of the same file is new traffic to the sensor's reducer — otherwise it meets the
#   previous replay's flows again, takes the repeated sequence numbers for retransmissions and
#   keeps them; live traffic does not repeat itself).
set -euo pipefail
file=${1:?usage: $0 CAPTURE.pcap}
[[ -r $file ]] || { echo "cannot read $file" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "needs root (network namespaces, veth, capture)" >&2; exit 2; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "missing: $1 ($2)" >&2; exit 2; }; }
need tcpreplay "apt-get install tcpreplay"
need tcpdump "apt-get install tcpdump"
need capinfos "apt-get install tshark (wireshark-common)"
need curl "apt-get install curl"
need ip "apt-get install iproute2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hoptrace=${HOPTRACE:-$here/hoptrace}
RATES=${RATES:-50000 200000 500000 top}
REPEAT=${REPEAT:-2}
ROLES=${ROLES:-UPLINK VETH}
SUMMARIES=${SUMMARIES:-reduced}
WARMUP=${WARMUP:-1000000}
WARMUP_PPS=${WARMUP_PPS:-25000}
NICE=${NICE:-0}
GAP=${GAP:-31}
in_file=$(capinfos -M -c -T -r "$file" | awk -F'\t' 'NF>=2 {print $2; exit}')
PACKETS=${PACKETS:-1000000}
((PACKETS > in_file)) && PACKETS=$in_file
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d /tmp/hoptrace-livebench.XXXXXX)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
  ip netns del lcA 2>/dev/null || true
  ip netns del lcB 2>/dev/null || true
  rm -rf "$WORK/broker" # the broker's log segments (~1 GB a series); the logs stay
}

if ip netns list | grep -qE '^lc[AB]( |$)'; then
  echo "network namespace lcA or lcB exists already (another run?); remove it first" >&2
  exit 2
fi
trap cleanup EXIT
ip netns add lcA
ip netns add lcB
ip link add lca0 netns lcA type veth peer name lcb0 netns lcB
for n in lcA lcB; do
  ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n $n link set lo up
done
ip -n lcA link set lca0 mtu 9000 up
ip -n lcB link set lcb0 mtu 9000 up

port=$((20092 + RANDOM % 1000))
"$hoptrace" broker --port "$port" --data-dir "$WORK/broker" > "$WORK/broker.log" 2>&1 &
BROKER=$!
PIDS+=("$BROKER")
for _ in $(seq 1 180); do grep -q "^bootstrap:" "$WORK/broker.log" && break; sleep 1; done
grep -q "^bootstrap:" "$WORK/broker.log" || { echo "broker did not start"; cat "$WORK/broker.log"; exit 1; }
mport=$((port + 1000))

# shellcheck source=bench/proc-cpu.sh
. "$here/bench/proc-cpu.sh"
rx() { ip netns exec lcB cat /sys/class/net/lcb0/statistics/rx_packets; }
replay() { # replay RATE COUNT OUT: tcpreplay into lca0
  local how=--topspeed
  [[ $1 == top ]] || how=--pps=$1
  nice -n "$NICE" ip netns exec lcA tcpreplay -q -K -i lca0 --limit="$2" "$how" "$file" > "$3" 2>&1
}
metric() { # metric NAME: its value on the sensor's /metrics (summed over labels), 0 if absent
  curl -s "http://127.0.0.1:$mport/metrics" | awk -v n="$1" 'index($0, n) == 1 {s += $NF} END {printf "%d\n", s}'
}
drained() { # waits until the sensor's captured count holds still for 1 s (at most 60 s)
  local prev=-1 now
  for _ in $(seq 1 60); do
    sleep 1
    now=$(metric hoptrace_sensor_packets_captured)
    [[ $now == "$prev" ]] && return 0
    prev=$now
  done
}
sent() { # "sent pps" from tcpreplay's output
  awk '/Successful packets:/ {s = $3} /Rated:/ {for (i = 1; i <= NF; i++) if ($i ~ /^pps/) p = $(i - 1)} END {printf "%s %d\n", s, p}' "$1"
}
cpu() { echo "($2 - $1) / $HZ" | bc -l | xargs printf '%.2f'; }
per_packet() { echo "$1 * 1000000 / ($2 + ($2 == 0))" | bc -l | xargs printf '%.2f'; }

start_sensor() { # start_sensor ROLE: SENSOR = its pid, warmed up
  local log=$WORK/sensor-$1.log
  # shellcheck disable=SC2086
  nice -n "$NICE" "$hoptrace" sensor --node lb --bootstrap "127.0.0.1:$port" --netns lcB \
    --iface lcb0 --role "lcb0=$1" --summaries "$SUMMARIES" --drop-reasons off --no-inventory \
    --metrics-port "$mport" --topic-prefix "lc$1." ${SENSOR_ARGS:-} > "$log" 2>&1 &
  SENSOR=$!
  PIDS+=("$SENSOR")
  for _ in $(seq 1 180); do
    grep -q "capturing on" "$log" && break
    kill -0 "$SENSOR" 2>/dev/null || break
    sleep 0.5
  done
  grep -q "capturing on" "$log" || { echo "sensor did not start:" >&2; cat "$log" >&2; exit 1; }
  replay "$WARMUP_PPS" "$WARMUP" "$WORK/warmup-$1.out"
  drained
  echo "sensor-$1 warm-up: $(sent "$WORK/warmup-$1.out" | cut -d' ' -f1) packets at $WARMUP_PPS pps, $(metric hoptrace_sensor_capture_drops) kernel drops"
}
stop_sensor() {
  kill -TERM "$SENSOR"
  wait "$SENSOR" 2>/dev/null || true
  PIDS=("$BROKER")
}

fmt='%-6s %3s %-14s %9s %8s %9s %9s %8s %7s %7s %6s %6s\n'
measure() { # measure ROLE RATE REP: one replay, captured by the sensor and a fresh tcpdump
  local tag="$1-$2-$3" td tlog s0 s1 t0 t1 b0 b1 r0 r1 c0 c1 d0 d1 sent_pps cap drop
  sleep "$GAP" # the reducer forgets the previous replay's flows (idle 30 s): new traffic to it
  tlog=$WORK/tcpdump-$tag.log
  nice -n "$NICE" ip netns exec lcB tcpdump -n -i lcb0 -w /dev/null > "$tlog" 2>&1 &
  td=$!
  PIDS+=("$td")
  for _ in $(seq 1 100); do grep -q "listening on" "$tlog" && break; sleep 0.1; done
  r0=$(rx); s0=$(ticks $(tree "$SENSOR")); t0=$(ticks $(tree "$td")); b0=$(ticks "$BROKER")
  c0=$(metric hoptrace_sensor_packets_captured); d0=$(metric hoptrace_sensor_capture_drops)
  replay "$2" "$PACKETS" "$WORK/replay-$tag.out"
  sleep 1.5 # tcpdump's 1 s timeout: its last block is delivered
  drained
  s1=$(ticks $(tree "$SENSOR")); t1=$(ticks $(tree "$td")); b1=$(ticks "$BROKER"); r1=$(rx)
  c1=$(metric hoptrace_sensor_packets_captured); d1=$(metric hoptrace_sensor_capture_drops)
  kill -INT "$td"
  wait "$td" 2>/dev/null || true
  PIDS=("$BROKER" "$SENSOR")
  sent_pps=$(sent "$WORK/replay-$tag.out")
  cap=$(awk '/packets captured/ {print $1}' "$tlog")
  drop=$(awk '/dropped by kernel/ {print $1}' "$tlog")
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  row "$2" "$3" tcpdump $sent_pps $((r1 - r0)) "${cap:-0}" "${drop:-?}" "$(cpu "$t0" "$t1")" - "$load"
  row "$2" "$3" "sensor-$1" $sent_pps $((r1 - r0)) $((c1 - c0)) $((d1 - d0)) "$(cpu "$s0" "$s1")" "$(cpu "$b0" "$b1")" "$load"
}
row() { # rate rep tool sent pps on_if captured drops cpu_s broker_s load
  printf "$fmt" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "$(per_packet "$9" "$7")" "${10}" "${11}"
  echo "$*" >> "$RESULTS"
}

echo "capture: $file ($in_file packets; $PACKETS per replay); summaries $SUMMARIES; nice $NICE; broker 127.0.0.1:$port"
echo "machine: $(nproc) CPUs, $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS=$WORK/results.txt
: > "$RESULTS"
for role in $ROLES; do
  start_sensor "$role"
  printf "$fmt" rate run tool sent pps on_if captured k_drops cpu_s us/pkt brk_s load1
  for rate in $RATES; do
    for rep in $(seq 1 "$REPEAT"); do
      measure "$role" "$rate" "$rep"
    done
  done
  stop_sensor
done

echo
echo "sensor / tcpdump, packets captured of the same replay; each tool's highest achieved rate without a kernel drop:"
# results: rate rep tool sent pps on_if captured drops cpu_s broker_s load
awk '
  $3 == "tcpdump" {td = $7; tdpps = $5; tddrops = $8; next}
  {printf "  %-6s run %s %-14s captured %.3f x tcpdump\n", $1, $2, $3, (td > 0 ? $7 / td : 0)}
  {
    tools[$3] = 1
    if (!($3 in best)) {best[$3] = 0; tdbest[$3] = 0}
    if ($8 == 0 && $5 > best[$3]) best[$3] = $5
    if (tddrops == 0 && tdpps > tdbest[$3]) tdbest[$3] = tdpps
  }
  END {
    for (t in tools) {
      printf "  %-14s highest achieved rate without kernel drops: %d pps; tcpdump next to it: %d pps", t, best[t], tdbest[t]
      if (tdbest[t] > 0) printf " (%.2f x; goal >= 0.9)\n", best[t] / tdbest[t]
      else printf " (tcpdump dropped in every replay: read the captured ratios above)\n"
    }
  }' "$RESULTS"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); logs: $WORK"
