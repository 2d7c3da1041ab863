#!/usr/bin/env bash
# Compares decode rates on ONE capture file:
#   hoptrace  ./hoptrace bench decode FILE        (its own packets/s: wall and per CPU-second)
#   libpcap   tcpdump -r FILE 'ether proto 0x88b5'  (reads and filters every packet, prints nothing)
#   tshark    tshark -r FILE -T fields -e ip.src > /dev/null
# Rates for tcpdump and tshark are packets / CPU-seconds (user+sys) and packets / wall-seconds,
# best of REPEAT runs (default 3 for tcpdump, 1 for tshark, which is slow); the wall/CPU columns
# are seconds for one pass over the file.
#
# Usage: bench/run-decode-comparison.sh GENERATED.pcap
#   make one: java -cp sensor/target/classes io.hoptrace.synth.MixedCaptureGenerator /tmp/mix.pcap 2000000 1
# Env: REPEAT (tcpdump runs), PASSES (file reads per tcpdump run; default: >= 10 M packets), TSHARK_REPEAT, SKIP_TSHARK=1, HOPTRACE (path to the launcher).
set -euo pipefail

file=${1:?usage: $0 GENERATED.pcap}
[[ -r $file ]] || { echo "cannot read $file" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hoptrace=${HOPTRACE:-$here/hoptrace}
repeat=${REPEAT:-3}
tshark_repeat=${TSHARK_REPEAT:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing: $1 ($2)" >&2; exit 2; }; }
need tcpdump "apt-get install tcpdump"
need tshark "apt-get install tshark"
need capinfos "apt-get install tshark (wireshark-common)"

# packet count, independent of every tool measured
packets=$(capinfos -M -c -T -r "$file" | awk -F'\t' 'NF>=2 {print $2; exit}')
[[ $packets =~ ^[0-9]+$ && $packets -gt 0 ]] || { echo "could not count packets in $file" >&2; exit 2; }
cat "$file" >/dev/null # page cache: every tool reads from memory

# timed RUN...: prints "wall cpu" (seconds) of the best (lowest CPU) of $reps runs
timed() {
  local reps=$1 out=$2
  shift 2
  local best_wall="" best_cpu=""
  for ((i = 0; i < reps; i++)); do
    if [[ -x /usr/bin/time ]]; then
      /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" >"$out" 2>"$tmp/err" || {
        cat "$tmp/err" >&2
        return 1
      }
      read -r wall user sys <"$tmp/t"
    else
      local TIMEFORMAT='%R %U %S'
      { time "$@" >"$out" 2>"$tmp/err"; } 2>"$tmp/t"
      read -r wall user sys <"$tmp/t"
    fi
    local cpu
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.3f", u + s}')
    if [[ -z $best_cpu ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN {exit !(a < b)}'; then
      best_cpu=$cpu best_wall=$wall
    fi
  done
  echo "$best_wall $best_cpu"
}

rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "inf" }'; }

echo "file: $file ($packets packets, $(du -h "$file" | cut -f1))" >&2

# tcpdump is fast: read the file PASSES times per timed run (>= 10 M packets) so that the 10 ms
# resolution of the CPU times does not matter; the rate is per pass
passes=${PASSES:-$(((10000000 + packets - 1) / packets))}
echo "running: tcpdump -r FILE 'ether proto 0x88b5' ($passes passes per run, best of $repeat)" >&2
read -r pcap_wall pcap_cpu < <(timed "$repeat" /dev/null bash -c \
  'for ((p = 0; p < $1; p++)); do tcpdump -r "$2" "ether proto 0x88b5" 2>/dev/null || exit 1; done' \
  _ "$passes" "$file")
pcap_rate_cpu=$(rate $((packets * passes)) "$pcap_cpu")
pcap_rate_wall=$(rate $((packets * passes)) "$pcap_wall")
pcap_wall=$(awk -v t="$pcap_wall" -v n="$passes" 'BEGIN {printf "%.3f", t / n}')
pcap_cpu=$(awk -v t="$pcap_cpu" -v n="$passes" 'BEGIN {printf "%.3f", t / n}')

if [[ ${SKIP_TSHARK:-} == 1 ]]; then
  ts_wall=- ts_cpu=- ts_rate_cpu=- ts_rate_wall=-
else
  echo "running: tshark -r FILE -T fields -e ip.src > /dev/null (x$tshark_repeat)" >&2
  read -r ts_wall ts_cpu < <(timed "$tshark_repeat" /dev/null tshark -r "$file" -T fields -e ip.src)
  ts_rate_cpu=$(rate "$packets" "$ts_cpu")
  ts_rate_wall=$(rate "$packets" "$ts_wall")
fi

echo "running: $hoptrace bench decode FILE" >&2
hop_rate_wall=- hop_rate_cpu=-
if "$hoptrace" bench decode "$file" >"$tmp/hoptrace.txt" 2>&1; then
  cat "$tmp/hoptrace.txt" >&2
  # expected line: "packets/s: N (wall), M (per CPU-second)"
  hop_line=$(grep -m1 'packets/s' "$tmp/hoptrace.txt" || true)
  w=$(sed -nE 's/.*packets\/s: *([0-9.]+) *\(wall\).*/\1/p' <<<"$hop_line" | cut -d. -f1)
  c=$(sed -nE 's/.*, *([0-9.]+) *\(per CPU-second\).*/\1/p' <<<"$hop_line" | cut -d. -f1)
  [[ -n $w ]] || w=$(grep -oE '[0-9][0-9.]*' <<<"$hop_line" | head -1 | cut -d. -f1)
  hop_rate_wall=${w:--} hop_rate_cpu=${c:--}
else
  echo "hoptrace bench decode failed (its output follows); its row stays empty:" >&2
  head -20 "$tmp/hoptrace.txt" >&2
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a / b; else print "-" }'; }

echo
printf '%-44s %12s %9s %9s %14s %14s\n' tool packets "wall s" "CPU s" "pkt/s (CPU)" "pkt/s (wall)"
printf '%-44s %12s %9s %9s %14s %14s\n' "hoptrace bench decode" "$packets" "-" "-" "$hop_rate_cpu" "$hop_rate_wall"
printf '%-44s %12s %9s %9s %14s %14s\n' "tcpdump -r F 'ether proto 0x88b5' (libpcap)" "$packets" "$pcap_wall" "$pcap_cpu" "$pcap_rate_cpu" "$pcap_rate_wall"
printf '%-44s %12s %9s %9s %14s %14s\n' "tshark -r F -T fields -e ip.src" "$packets" "$ts_wall" "$ts_cpu" "$ts_rate_cpu" "$ts_rate_wall"
echo
echo "hoptrace / libpcap: $(ratio "$hop_rate_cpu" "$pcap_rate_cpu") per CPU-second, $(ratio "$hop_rate_wall" "$pcap_rate_wall") wall (goal >= 1.0x)"
echo "hoptrace / tshark:  $(ratio "$hop_rate_cpu" "$ts_rate_cpu") per CPU-second, $(ratio "$hop_rate_wall" "$ts_rate_wall") wall (goal >= 100x)"
