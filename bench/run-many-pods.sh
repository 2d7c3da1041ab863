#!/usr/bin/env bash
# One `hoptrace sensor --auto` over PODS pod namespaces: memory and idle CPU, one sensor build or
# JVM setting after the other on the same namespaces and broker (docs/performance.md, "One sensor,
# 110 pods"). Needs root, iproute2, ping and built ./hoptrace launchers (mvn install).
#
# The namespaces are those of ManyPodsIT: a node namespace with a cni0 bridge, PODS pod namespaces
# each with an eth0 whose veth is on cni0. Per variant: start the sensor, wait for "capturing on",
# let it settle SETTLE_S seconds, every pod pings the bridge 3 times (0.3 s apart), wait 3 s, then
# measure IDLE_S seconds with no traffic: CPU-seconds (utime + stime, /proc/PID/stat) of the whole
# JVM and per thread (grouped by name with digits and hop ids left out), thread count, VmRSS and
# its parts (/proc/PID/status), and the resident set by kind of mapping (/proc/PID/smaps: packet
# socket rings, the Java heap, thread stacks, jars, shared libraries, other anonymous memory).
#
# VARIANTS: lines "LABEL|LAUNCHER_DIR|HOPTRACE_JAVA_OPTS|extra sensor options|VAR=VALUE ..." (the
# last field: extra environment); the launcher dir holds a `hoptrace` script and its cli/target
# (copy one aside to compare builds).
# NMT=1 adds -XX:NativeMemoryTracking=summary and saves `jcmd VM.native_memory summary`;
# JFR=1 records the idle phase (jdk.ExecutionSample) and prints the top frames; HISTO=1 prints the
# heap's largest classes after the measures (a full GC: `jcmd GC.class_histogram`); IDLE2_GAP_S=N
# measures IDLE_S seconds of idle once more N seconds later (the JIT compilers done).
# TRIM=1 asks the JVM to give glibc's free memory back (`jcmd System.trim_native_heap`) after the
# idle measures and prints VmRSS before and after (how much of the RSS is freed native memory).
# LOAD_S=N (default 0: none) ends each variant with N seconds of UDP load: LOAD_PODS pods (default
# 4) each send LOAD_PPS (default 5000) 64-byte datagrams per second to the bridge's address, in
# bursts every 10 ms, so every datagram crosses the pod's eth0, its veth and cni0 (up to the node's
# stack): CPU during the load, VmRSS after it, and the capture's packets and drops per hop from
# the sensor's last status line (cni0, the loaded pods' hops, all hops).
set -euo pipefail
cd "$(dirname "$0")/.."
PODS=${PODS:-110}
SETTLE_S=${SETTLE_S:-5}
IDLE_S=${IDLE_S:-10}
VARIANTS=${VARIANTS:-"current|.|-Xmx307m -Xms8m|"}
WORK=$(mktemp -d /tmp/hoptrace-manypods.XXXXXX)
HZ=$(getconf CLK_TCK)
P=hmp$((RANDOM % 900 + 100))-
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 2
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "${P}node" 2>/dev/null || true
  for i in $(seq 1 "$PODS"); do ip netns del "${P}p$i" 2>/dev/null || true; done
}
trap cleanup EXIT

pod_ip() { echo "10.250.$(($1 / 200 + 1)).$(($1 % 200 + 2))"; }

{
  echo "netns add ${P}node"
  for i in $(seq 1 "$PODS"); do echo "netns add ${P}p$i"; done
} | ip -batch -
{
  echo "link add cni0 type bridge"
  echo "addr add 10.250.0.1/16 dev cni0"
  echo "link set cni0 up"
  for i in $(seq 1 "$PODS"); do
    echo "link add veth$i type veth peer name eth0 netns ${P}p$i"
    echo "link set veth$i master cni0 up"
  done
} | ip -n "${P}node" -batch -
for i in $(seq 1 "$PODS"); do
  printf 'addr add %s/16 dev eth0\nlink set eth0 up\nlink set lo up\n' "$(pod_ip "$i")" \
    | ip -n "${P}p$i" -batch -
done
echo "namespaces: ${P}node and $PODS pods; work dir $WORK"

port=$((29092 + RANDOM % 1000))
./hoptrace broker --port "$port" --topic-prefix "${P//-/}." > "$WORK/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do grep -q "^bootstrap:" "$WORK/broker.log" && break; sleep 1; done
grep -q "^bootstrap:" "$WORK/broker.log" || { echo "broker did not start"; cat "$WORK/broker.log"; exit 1; }

ticks() { # utime + stime of a process (all its threads)
  awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

thread_ticks() { # "tid ticks name" per thread of $1
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" -v name="$(tr ' ' '_' < "$t/comm" 2>/dev/null)" \
      '{ sub(/.*\) /, ""); print tid, $12 + $13, name }' "$t/stat" 2>/dev/null || true
  done
}

group_threads() { # before-file after-file: CPU-seconds per thread group, largest first
  awk -v hz="$HZ" 'NR == FNR { before[$1] = $2; next }
    { d = $2 - before[$1]; n = $3; gsub(/[0-9]+/, "#", n); sub(/^hoptrace-capt.*/, "hoptrace-capture-*", n)
      g[n] += d; c[n]++ }
    END { for (k in g) printf "%8.2f s  %4d x %s\n", g[k] / hz, c[k], k }' "$1" "$2" | sort -rn | head -12
}

smaps_kinds() { # resident MB by kind of mapping (packet socket rings, jars, libraries, anonymous)
  python3 - "$1" <<'PY'
import re, sys
kinds, kind = {}, None
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$", line)
    if m:
        name = m.group(3).strip()
        size_kb = (int(m.group(2), 16) - int(m.group(1), 16)) // 1024
        if name.startswith("socket:") or "packet" in name:
            kind = "packet socket rings (kernel, mapped)"
        elif name.endswith(".jar"):
            kind = "jars"
        elif ".so" in name or name.endswith(".jsa"):
            kind = "shared libraries, CDS archive"
        elif name == "" and 1000 <= size_kb <= 1024:
            kind = "anonymous of ~1 MiB (thread stacks: 1 MiB less the guard pages)"
        elif name == "":
            kind = "anonymous (heap, metaspace, code, malloc)"
        else:
            kind = "other: " + name
        continue
    if line.startswith("Rss:") and kind:
        n = kinds.setdefault(kind, [0, 0])
        n[0] += int(line.split()[1])
        n[1] += 1
for k, (kb, maps) in sorted(kinds.items(), key=lambda e: -e[1][0]):
    if kb >= 1024:
        print(f"{kb / 1024:8.1f} MB  {k} ({maps} mappings)")
PY
}

run_variant() { # label dir java_opts extra env
  local label=$1 dir=$2 opts=$3 extra=$4 envs=$5 log="$WORK/sensor-$1.log"
  [[ ${NMT:-0} == 1 ]] && opts="$opts -XX:NativeMemoryTracking=summary"
  echo "=== $label: $dir, HOPTRACE_JAVA_OPTS='$opts', extra '$extra', env '$envs'"
  local t0
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  env $envs HOPTRACE_JAVA_OPTS="$opts" "$dir/hoptrace" sensor --auto --node node-m --netns "${P}node" \
    --pod-netns-prefix "$P" --bootstrap "127.0.0.1:$port" --topic-prefix "${P//-/}." \
    --summaries full --drop-reasons off --duration 600 $extra > "$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 300); do grep -q "^capturing on" "$log" && break; sleep 0.5; done
  grep -q "^capturing on" "$log" || { echo "sensor $label did not start"; tail -5 "$log"; return 1; }
  local jvm=$pid
  # the launcher execs java: same pid
  printf 'started in %.1f s, %d hops\n' "$(echo "$(date +%s.%N) - $t0" | bc)" \
    "$(grep -m1 '^capturing on' "$log" | grep -o 'node-m/' | wc -l)"
  sleep "$SETTLE_S"
  local c0 c1 c2
  c0=$(ticks "$jvm")
  local pp=()
  for i in $(seq 1 "$PODS"); do
    ip netns exec "${P}p$i" ping -c 3 -i 0.3 -W 2 10.250.0.1 > /dev/null 2>&1 &
    pp+=($!)
  done
  local failed=0
  for p in "${pp[@]}"; do wait "$p" || failed=$((failed + 1)); done
  sleep 3
  c1=$(ticks "$jvm")
  thread_ticks "$jvm" > "$WORK/threads-$label-0"
  if [[ ${JFR:-0} == 1 ]]; then
    jcmd "$jvm" JFR.start name=idle settings=profile "filename=$WORK/idle-$label.jfr" > /dev/null
  fi
  sleep "$IDLE_S"
  c2=$(ticks "$jvm")
  thread_ticks "$jvm" > "$WORK/threads-$label-1"
  printf 'pings failed: %d of %d; CPU %.2f s during the pings, %.2f s in %d s idle; threads %s\n' \
    "$failed" "$PODS" "$(echo "($c1 - $c0) / $HZ" | bc -l)" "$(echo "($c2 - $c1) / $HZ" | bc -l)" \
    "$IDLE_S" "$(awk '/^Threads:/ { print $2 }' "/proc/$jvm/status")"
  awk '/^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):/ { printf "%s %s %s  ", $1, $2 / 1024, "MB" } END { print "" }' \
    "/proc/$jvm/status"
  echo "idle CPU by thread group:"
  group_threads "$WORK/threads-$label-0" "$WORK/threads-$label-1"
  echo "resident by mapping:"
  smaps_kinds "$jvm"
  jcmd "$jvm" GC.heap_info 2>/dev/null | grep -E "total|Metaspace|class space" | sed 's/^ */  heap: /' || true
  if [[ ${NMT:-0} == 1 ]]; then
    jcmd "$jvm" VM.native_memory summary > "$WORK/nmt-$label.txt" 2>&1 || true
    grep -E "^(Total|-  *(Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Arena Chunk|Metaspace|Shared class space|Arguments|Module|Synchronizer|Safepoint|Serviceability|String Dedup|Object Monitors))" \
      "$WORK/nmt-$label.txt" | sed 's/^/  NMT /'
  fi
  if [[ ${IDLE2_GAP_S:-0} -gt 0 ]]; then
    sleep "$IDLE2_GAP_S"
    local c3 c4
    c3=$(ticks "$jvm")
    thread_ticks "$jvm" > "$WORK/threads-$label-2"
    sleep "$IDLE_S"
    c4=$(ticks "$jvm")
    thread_ticks "$jvm" > "$WORK/threads-$label-3"
    printf 'later idle (%d s on): %.2f s CPU in %d s; VmRSS %s MB; by thread group:\n' "$IDLE2_GAP_S" \
      "$(echo "($c4 - $c3) / $HZ" | bc -l)" "$IDLE_S" "$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$jvm/status")"
    group_threads "$WORK/threads-$label-2" "$WORK/threads-$label-3" | head -5
  fi
  if [[ ${HISTO:-0} == 1 ]]; then
    jcmd "$jvm" GC.class_histogram 2>/dev/null | sed -n '3,12p;$p' | sed 's/^/  histo /'
  fi
  if [[ ${JFR:-0} == 1 ]]; then
    jcmd "$jvm" JFR.stop name=idle > /dev/null || true
    jfr print --events jdk.ExecutionSample "$WORK/idle-$label.jfr" \
      | awk '/stackTrace = \[/ { getline; gsub(/^ +/, ""); print }' | sort | uniq -c | sort -rn | head -10 \
      | sed 's/^/  JFR /'
  fi
  if [[ ${TRIM:-0} == 1 ]]; then
    local r0
    r0=$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$jvm/status")
    jcmd "$jvm" System.trim_native_heap 2>&1 | tail -1 | sed 's/^/  trim: /'
    printf '  trim: VmRSS %s MB before, %s MB after\n' "$r0" \
      "$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$jvm/status")"
  fi
  if [[ ${LOAD_S:-0} -gt 0 ]]; then
    local l0 l1 lp=()
    l0=$(ticks "$jvm")
    for i in $(seq 1 "${LOAD_PODS:-4}"); do
      ip netns exec "${P}p$i" python3 - "${LOAD_PPS:-5000}" "$LOAD_S" > "$WORK/load-$label-$i" <<'PY' &
import socket, sys, time
pps, secs = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
per = max(1, pps // 100)  # a burst every 10 ms
n, t0 = 0, time.monotonic()
while True:
    now = time.monotonic() - t0
    if now >= secs:
        break
    due = int(now * pps) + per
    while n < due:
        try:
            s.sendto(b"x" * 22, ("10.250.0.1", 9))  # 64-byte frames
        except OSError:
            pass
        n += 1
    time.sleep(0.01)
print(n)
PY
      lp+=($!)
    done
    for p in "${lp[@]}"; do wait "$p" || true; done
    sleep 2
    l1=$(ticks "$jvm")
    printf 'load: %d pods sent %d datagrams in %d s; sensor CPU %.2f s; VmRSS %s MB\n' \
      "${LOAD_PODS:-4}" "$(cat "$WORK"/load-"$label"-* | awk '{ s += $1 } END { print s }')" "$LOAD_S" \
      "$(echo "($l1 - $l0) / $HZ" | bc -l)" "$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$jvm/status")"
    jcmd "$jvm" GC.heap_info 2>/dev/null | grep -E "total" | sed 's/^ */  heap after the load: /' || true
  fi
  local k0
  k0=$(date +%s.%N)
  kill "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  printf 'stopped %.1f s after SIGTERM\n' "$(echo "$(date +%s.%N) - $k0" | bc)"
  kill -0 "$pid" 2>/dev/null && { echo "sensor $label did not stop on SIGTERM"; kill -9 "$pid"; }
  echo "sensor's last status: $(grep -E "^sent" "$log" | tail -1 | cut -c1-80) ..."
  grep -E "^sent" "$log" | tail -1 | tr ';' '\n' | awk -v lp="${LOAD_PODS:-4}" '
    / pkts, / { id = $1; sub(/:$/, "", id); n = $2; d = ($4 == "n/a" ? 0 : $4)
      all += n; alld += d; hops++
      if (id ~ /\/cni0$/) { printf "  cni0: %d pkts, %d dropped\n", n, d }
      split(id, f, "/"); pod = f[2]; sub(/^.*p/, "", pod)
      if (id ~ /\/veth[0-9]+$/) { v = id; sub(/^.*veth/, "", v); if (v + 0 <= lp) { ln += n; ld += d } }
      else if (f[3] == "eth0" && pod ~ /^[0-9]+$/ && pod + 0 <= lp) { ln += n; ld += d } }
    END { printf "  loaded pods'"'"' eth0 and veth hops: %d pkts, %d dropped; all %d hops: %d pkts, %d dropped\n", ln, ld, hops, all, alld }'
  return 0
}

while IFS='|' read -r -u 3 label dir opts extra envs; do
  [[ -z $label ]] && continue
  run_variant "$label" "$dir" "$opts" "$extra" "$envs" < /dev/null
done 3<<< "$VARIANTS"
