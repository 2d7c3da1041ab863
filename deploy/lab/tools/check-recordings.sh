#!/usr/bin/env bash
# Checks that the lab recordings really contain what each scenario claims (tcpdump -nn -r).
#   tools/check-recordings.sh [RECORDINGS_DIR]     (default: ../recordings next to this script)
# Prints one line per check; exits 1 if any fails. Needs tcpdump and jq, not root.
set -euo pipefail
dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/recordings}"
fails=0

n() { # n SCENARIO HOPFILE REGEX: number of packets on that hop whose tcpdump text matches
  local f="$dir/$1/$2.pcap"
  [[ -f "$f" ]] || {
    echo 0
    return
  }
  tcpdump -nn -r "$f" 2>/dev/null | grep -cE "$3" || true
}
check() { # check SCENARIO DESCRIPTION ACTUAL OP EXPECTED
  if test "$3" "$4" "$5"; then
    printf 'ok    %-24s %s (%s)\n' "$1" "$2" "$3"
  else
    printf 'FAIL  %-24s %s (got %s, want %s %s)\n' "$1" "$2" "$3" "$4" "$5"
    fails=$((fails + 1))
  fi
}

s=healthy
for h in node-a.pod-a1.eth0 node-a.vetha1 node-a.cni0 node-a.flannel.1 node-a.ens33 node-b.ens33 node-b.flannel.1 node-b.cni0 node-b.vethb1 node-b.pod-b1.eth0; do
  check $s "$h: 6 echo requests" "$(n $s $h 'echo request')" -eq 6
  check $s "$h: 6 echo replies" "$(n $s $h 'echo reply')" -eq 6
  check $s "$h: 3 SYN, no RST" "$(n $s $h 'Flags \[S\]')$(n $s $h 'Flags \[R')" = 30
done
check $s "ClusterIP on the pod side of node-a" "$(n $s node-a.vetha1 '> 10.96.0.10.80:')" -ge 5
check $s "DNAT'd to pod-b1 from node-a/cni0 on" "$(n $s node-a.cni0 '10.244.0.2.40003 > 10.244.1.2.8080')" -ge 5

for s in vxlan-blocked vxlan-blocked-underlay; do
  check $s "VXLAN to .130:8472 leaves node-a/ens33" "$(n $s node-a.ens33 '192.168.232.128.[0-9]+ > 192.168.232.130.8472')" -eq 6
  if [[ $s == vxlan-blocked ]]; then
    check $s "... and reaches node-b/ens33" "$(n $s node-b.ens33 '> 192.168.232.130.8472')" -eq 6
  else
    check $s "... and never reaches node-b/ens33" "$(n $s node-b.ens33 '8472')" -eq 0
  fi
  check $s "nothing on node-b/flannel.1" "$(n $s node-b.flannel.1 '.')" -eq 0
  check $s "nothing in pod-b1" "$(n $s node-b.pod-b1.eth0 '.')" -eq 0
done

s=vxlan6-blocked
check $s "VXLAN over IPv6 to node-b leaves node-a/ens33" "$(n $s node-a.ens33 'fd00:232::128.[0-9]+ > fd00:232::130.8472')" -ge 6
check $s "... and reaches node-b/ens33" "$(n $s node-b.ens33 '> fd00:232::130.8472')" -ge 6
check $s "IPv6 pod packets on node-a/flannel-v6.1" "$(n $s node-a.flannel-v6.1 'fd00:10:244::2')" -ge 6
check $s "IPv4 ping passes node-a/flannel.1 (4 packets)" "$(n $s node-a.flannel.1 'ICMP echo')" -eq 4
check $s "nothing arrives on node-b/flannel-v6.1 from node-a" "$(n $s node-b.flannel-v6.1 'fd00:10:244::2 >')" -eq 0
check $s "pod-b1's IPv6 pings leave node-b/flannel-v6.1" "$(n $s node-b.flannel-v6.1 'fd00:10:244:1::2 > fd00:10:244::2: ICMP6, echo request')" -eq 3
check $s "pod-a1 answers them" "$(n $s node-a.pod-a1.eth0 'fd00:10:244::2 > fd00:10:244:1::2: ICMP6, echo reply')" -eq 3
check $s "manifest lists both pod CIDRs of node-b" "$(jq -r '.nodes[1].podCidrs | join(",")' "$dir/$s/manifest.json")" = "10.244.1.0/24,fd00:10:244:1::/64"

s=vxlan6-blocked-node-a
check $s "pod-a1's IPv6 requests reach pod-b1" "$(n $s node-b.pod-b1.eth0 'fd00:10:244::2 > fd00:10:244:1::2: ICMP6, echo request')" -eq 3
check $s "... whose replies never reach node-a/flannel-v6.1" "$(n $s node-a.flannel-v6.1 'fd00:10:244:1::2 > fd00:10:244::2: ICMP6, echo reply')" -eq 0
check $s "VXLAN over IPv6 to node-a reaches node-a/ens33" "$(n $s node-a.ens33 '> fd00:232::128.8472')" -ge 6

s=no-route
check $s "VXLAN datagrams on node-a/ens33" "$(n $s node-a.ens33 '> 192.168.232.130.8472')" -ge 8
check $s "ICMP host .130 unreachable from 192.168.232.1" "$(n $s node-a.ens33 '192.168.232.1 > 192.168.232.128: ICMP host 192.168.232.130 unreachable')" -ge 8
check $s "nothing VXLAN at node-b/ens33" "$(n $s node-b.ens33 '8472')" -eq 0
check $s "nothing in pod-b1" "$(n $s node-b.pod-b1.eth0 '.')" -eq 0

s=wrong-vtep
check $s "pod packets reach node-a/flannel.1" "$(n $s node-a.flannel.1 '10.244.0.2.* > 10.244.1.2')" -eq 6
check $s "VXLAN to 10.0.2.15 leaves node-a/ens33" "$(n $s node-a.ens33 '> 10.0.2.15.8472')" -eq 6
check $s "nothing at node-b/ens33" "$(n $s node-b.ens33 '.')" -eq 0
check $s "manifest fdb of node-a points to 10.0.2.15" \
  "$(jq -r '.nodes[0].vteps[0].fdb[0].dst' "$dir/$s/manifest.json")" = 10.0.2.15

s=dual-ip
check $s "requests reach pod-b1 (SYN)" "$(n $s node-b.pod-b1.eth0 'Flags \[S\]')" -ge 4
check $s "pod-b1 replies (SYN-ACK)" "$(n $s node-b.pod-b1.eth0 'Flags \[S\.\]')" -ge 4
check $s "replies leave node-b/ens33 from 192.168.233.130" "$(n $s node-b.ens33 '192.168.233.130.[0-9]+ > 192.168.232.128.8472')" -ge 7
check $s "... and arrive at node-a/ens33" "$(n $s node-a.ens33 '192.168.233.130.[0-9]+ > 192.168.232.128.8472')" -ge 7
check $s "no reply on node-a/flannel.1" "$(n $s node-a.flannel.1 'echo reply|Flags \[S\.\]')" -eq 0
check $s "client SYN retransmitted >= 3 times" "$(n $s node-a.pod-a1.eth0 'Flags \[S\]')" -ge 4
check $s "manifest: node-b VTEP local 192.168.233.130" \
  "$(jq -r '.nodes[1].vteps[0].local' "$dir/$s/manifest.json")" = 192.168.233.130

s=mtu-blackhole
check $s "1448-byte segments leave pod-b1" "$(n $s node-b.pod-b1.eth0 'length 1448')" -ge 3
check $s "... reach node-b/cni0" "$(n $s node-b.cni0 'length 1448')" -ge 3
check $s "... never node-b/flannel.1" "$(n $s node-b.flannel.1 'length 1448')" -eq 0
check $s "small pings answered at pod-a1" "$(n $s node-a.pod-a1.eth0 'echo reply')" -eq 3
check $s "handshake passes (SYN-ACK at pod-a1)" "$(n $s node-a.pod-a1.eth0 'Flags \[S\.\]')" -eq 1
check $s "no frag-needed anywhere" "$(n $s node-b.pod-b1.eth0 'need to frag')" -eq 0

s=port-closed
check $s "3 SYN to port 9" "$(n $s node-a.pod-a1.eth0 '> 10.244.1.2.9: Flags \[S\]')" -eq 3
check $s "3 RST from port 9" "$(n $s node-a.pod-a1.eth0 '10.244.1.2.9 > .*Flags \[R')" -eq 3
check $s "5 UDP to 9999" "$(n $s node-a.pod-a1.eth0 '> 10.244.1.2.9999: UDP')" -eq 5
check $s "5 ICMP port unreachable" "$(n $s node-a.pod-a1.eth0 'udp port 9999 unreachable')" -eq 5
check $s "no other TCP (no leftover of a previous scenario)" "$(n $s node-a.pod-a1.eth0 'Flags' )" -eq 6

s=dns
check $s "3 queries to 10.244.1.3" "$(n $s node-a.pod-a1.eth0 '> 10.244.1.3.53:')" -eq 3
check $s "... received by pod-b2" "$(n $s node-b.pod-b2.eth0 '> 10.244.1.3.53:')" -eq 3
check $s "... never answered" "$(n $s node-a.pod-a1.eth0 '10.244.1.3.53 >')" -eq 0
check $s "3 queries to 10.244.1.4" "$(n $s node-a.pod-a1.eth0 '> 10.244.1.4.53:')" -eq 3
check $s "3 SERVFAIL answers" "$(n $s node-a.pod-a1.eth0 'ServFail')" -eq 3

s=nodeport
check $s "client -> NodePort on node-a/ens33" "$(n $s node-a.ens33 '192.168.232.200.4200[12] > 192.168.232.128.30080')" -eq 10
check $s "MASQUERADEd + DNAT'd on node-a/flannel.1" "$(n $s node-a.flannel.1 '10.244.0.0.4200[12] > 10.244.1.2.8080')" -eq 10
check $s "... arrives in pod-b1" "$(n $s node-b.pod-b1.eth0 '10.244.0.0.4200[12] > 10.244.1.2.8080')" -eq 10
check $s "replies de-NATed to the client" "$(n $s node-a.ens33 '192.168.232.128.30080 > 192.168.232.200')" -eq 10

for f in "$dir"/*/*.pcap; do
  size=$(stat -c %s "$f")
  ((size <= 102400)) || {
    echo "FAIL  size                     $f is $size bytes (> 100 KB)"
    fails=$((fails + 1))
  }
done
if ((fails > 0)); then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all recordings check out"
