#!/usr/bin/env bash
# Regenerates the per-packet peer expectations (expected/<capture path with / as __>.tsv) with tshark.
# tshark is the peer oracle for every capture here; it needs `-d udp.port==8472,vxlan` to decode flannel's port.
# IP reassembly is off: every fragment is judged on its own, as the sensor sees it.
# Run from this folder: ./make-expected.sh   (made with TShark 4.0.17, Debian 12)
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p expected
rm -f expected/*.tsv
find tcpdump zeek arkime suricata-verify -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sort | while read -r f; do
  out="expected/$(echo "$f" | sed 's#/#__#g').tsv"
  tshark -n -r "$f" -d udp.port==8472,vxlan -o ip.defragment:FALSE -o ipv6.defragment:FALSE -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, \
    -e frame.number -e frame.protocols -e vlan.id -e ieee8021ad.id -e ip.src -e ip.dst -e ip.proto -e ipv6.src -e ipv6.dst -e ipv6.nxt \
    -e udp.srcport -e udp.dstport -e tcp.srcport -e tcp.dstport -e tcp.flags -e vxlan.vni -e geneve.vni \
    -e icmp.type -e icmp.code -e icmpv6.type -e icmpv6.code -e _ws.malformed \
    > "$out" 2>/dev/null || echo "tshark failed on $f (kept partial output)" >&2
done
echo "$(ls expected | wc -l) expectation files"
