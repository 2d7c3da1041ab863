#!/usr/bin/env bash
# Replay sensor -> embedded Kafka vs Kafka's own ProducerPerformance, same broker, same record size,
# same producer settings (the sensor's defaults: acks=all, idempotence, linger 20 ms, batch 256 KiB, lz4),
# same partition count (6). ProducerPerformance sends random (incompressible) payloads without keys.
#
# Usage: bench/run-kafka-comparison.sh CAPTURE.pcap [RUNS]
#   make one: java -cp sensor/target/classes io.hoptrace.synth.MixedCaptureGenerator /tmp/mix-1m.pcap 1000000 2
# Needs: ./hoptrace built (it builds on first use) and bench/target/benchmarks.jar (mvn -pl bench -am install -DskipTests).
set -euo pipefail
file=${1:?usage: $0 CAPTURE.pcap [RUNS]}
runs=${2:-3}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=${PORT:-19392}
log=$(mktemp)
"$here/hoptrace" broker --port "$port" >"$log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 60); do grep -q '^bootstrap:' "$log" && break; sleep 0.5; done
grep -q '^bootstrap:' "$log" || { cat "$log" >&2; exit 2; }
packets=$(capinfos -M -c -T -r "$file" | awk -F'\t' 'NF>=2 {print $2; exit}')
echo "capture: $file ($packets packets); broker 127.0.0.1:$port"
printf '%-28s %12s %10s %8s\n' producer records/s MB/s 'rec B'
for r in $(seq "$runs"); do
  out=$("$here/hoptrace" sensor --pcap "$file" --node bench --iface ens33 --no-inventory \
    --bootstrap "127.0.0.1:$port" --topic-prefix "cmp$r." 2>&1 | tail -n 1)
  rate=$(sed -E 's/.*\(([0-9]+) packets\/s\).*/\1/' <<<"$out")
  size=$(sed -E 's/.*mean record ([0-9]+) bytes.*/\1/' <<<"$out")
  printf '%-28s %12s %10.1f %8s\n' "hoptrace sensor --pcap #$r" "$rate" "$(echo "$rate*$size/1000000" | bc -l)" "$size"
  # same partition count as the sensor's packets topic (PublisherConfig topic.packets.partitions, 6)
  java -cp "$here/bench/target/benchmarks.jar" org.apache.kafka.tools.TopicCommand --bootstrap-server \
    "127.0.0.1:$port" --create --topic "pp$r" --partitions "${PARTITIONS:-6}" >/dev/null 2>&1
  pp=$(java -cp "$here/bench/target/benchmarks.jar" org.apache.kafka.tools.ProducerPerformance \
    --topic "pp$r" --num-records "$packets" --record-size "$size" --throughput -1 \
    --producer-props "bootstrap.servers=127.0.0.1:$port" acks=all enable.idempotence=true \
    linger.ms=20 batch.size=262144 compression.type=lz4 max.in.flight.requests.per.connection=5 \
    buffer.memory=67108864 2>&1 | tail -n 1)
  pprate=$(sed -E 's/.*sent, ([0-9.]+) records\/sec.*/\1/' <<<"$pp")
  printf '%-28s %12.0f %10.1f %8s\n' "ProducerPerformance #$r" "$pprate" "$(echo "$pprate*$size/1000000" | bc -l)" "$size"
  printf '%-28s %12.2f\n' "ratio #$r" "$(echo "$rate/$pprate" | bc -l)"
done
