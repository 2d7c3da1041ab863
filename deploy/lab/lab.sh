#!/usr/bin/env bash
# hoptrace overlay lab: a two-node flannel VXLAN overlay built from network namespaces.
#
#   lab.sh up [--dual-stack]       build the lab (idempotent) and verify isolation + connectivity;
#                                  --dual-stack adds IPv6 pods over flannel-v6.1 (IPv6 underlay)
#   lab.sh down                    remove every ht-* namespace and lab process (idempotent, crash-safe)
#   lab.sh status                  what exists, which fault is active, which lab processes run
#   lab.sh list                    the scenarios
#   lab.sh scenario NAME [--variant V]       apply NAME's fault, run its bounded traffic, revert
#   lab.sh record NAME DIR [--variant V]     the same with tcpdump on every hop; writes pcaps,
#                                            manifest.json (hoptrace analyze format) and truth.json
#
# Everything lives in namespaces named ht-*; nothing is attached to the root namespace.
# See README.md next to this file for the topology and the scenarios.
set -euo pipefail

LAB_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${HOPTRACE_LAB_RUN:-/run/hoptrace-lab}"
IPT="${HOPTRACE_LAB_IPTABLES:-iptables}"
IP6T="${HOPTRACE_LAB_IP6TABLES:-ip6tables}"
PY="${HOPTRACE_LAB_PYTHON:-python3}"
TAG="hoptrace-lab"

NS_UL=ht-underlay
NS_CLIENT=ht-client
UL_BR=ul0
UL_GW=192.168.232.1
UL_GW_MAC=02:00:c0:a8:e8:01
CLIENT_IP=192.168.232.200
CLIENT_MAC=02:00:c0:a8:e8:c8
SVC_IP=10.96.0.10
SVC_PORT=80
NODE_PORT=30080
APP_PORT=8080
BULK_PORT=8081
WRONG_VTEP=10.0.2.15
WRONG_VTEP_MAC=02:00:0a:00:02:0f
DUAL_IP=192.168.233.130

# node table: name suffix -> fields
declare -A N_IP=([a]=192.168.232.128 [b]=192.168.232.130)
declare -A N_MAC=([a]=02:00:c0:a8:e8:80 [b]=02:00:c0:a8:e8:82)
declare -A N_CIDR=([a]=10.244.0.0/24 [b]=10.244.1.0/24)
declare -A N_NET=([a]=10.244.0.0 [b]=10.244.1.0)
declare -A N_GW=([a]=10.244.0.1 [b]=10.244.1.1)
declare -A N_VTEP_MAC=([a]=ca:fe:0a:f4:00:00 [b]=ca:fe:0a:f4:01:00)
declare -A N_CNI_MAC=([a]=02:01:0a:f4:00:01 [b]=02:01:0a:f4:01:01)
declare -A N_PEER=([a]=b [b]=a)
NODES=(a b)

# pod table: id -> node, address, host-side veth, role text
declare -A P_NODE=([a1]=a [b1]=b [b2]=b [b3]=b)
declare -A P_IP=([a1]=10.244.0.2 [b1]=10.244.1.2 [b2]=10.244.1.3 [b3]=10.244.1.4)
declare -A P_VETH=([a1]=vetha1 [b1]=vethb1 [b2]=vethb2 [b3]=vethb3)
declare -A P_MAC=([a1]=02:00:0a:f4:00:02 [b1]=02:00:0a:f4:01:02 [b2]=02:00:0a:f4:01:03 [b3]=02:00:0a:f4:01:04)
declare -A P_ROLE=([a1]="client/server" [b1]="server (8080 echo, 8081 bulk)" [b2]="DNS resolver that never answers" [b3]="DNS resolver that answers SERVFAIL")
PODS=(a1 b1 b2 b3)

# dual-stack lab (lab.sh up --dual-stack, or a scenario that needs it): IPv6 next to IPv4, as
# flannel runs it with EnableIPv6: a second VXLAN device flannel-v6.1 (VNI 1, 8472, IPv6 underlay
# between the nodes' IPv6 addresses), one pod CIDR per family (spec.podCIDRs).
declare -A N_IP6=([a]=fd00:232::128 [b]=fd00:232::130)
declare -A N_CIDR6=([a]=fd00:10:244::/64 [b]=fd00:10:244:1::/64)
declare -A N_NET6=([a]=fd00:10:244:: [b]=fd00:10:244:1::)
declare -A N_GW6=([a]=fd00:10:244::1 [b]=fd00:10:244:1::1)
declare -A N_VTEP6_MAC=([a]=ca:fe:0a:f6:00:00 [b]=ca:fe:0a:f6:01:00)
declare -A P_IP6=([a1]=fd00:10:244::2 [b1]=fd00:10:244:1::2 [b2]=fd00:10:244:1::3 [b3]=fd00:10:244:1::4)
STACK=single # what the running lab is built as (RUN_DIR/stack)

SCENARIOS=(healthy vxlan-blocked no-route wrong-vtep dual-ip mtu-blackhole port-closed dns nodeport vxlan6-blocked)
# the lab a scenario runs on (single unless listed)
declare -A S_STACK=([vxlan6-blocked]=dual)
declare -A S_DESC=(
  [healthy]="pod-to-pod ping and TCP both ways across the nodes, plus a ClusterIP call: no alert"
  [vxlan-blocked]="8472/udp dropped (--variant host: node-b INPUT [default]; underlay: the underlay bridge) -> ONE_WAY"
  [no-route]="node-a routes node-b via the underlay router, which has an unreachable route -> ICMP host unreachable"
  [wrong-vtep]="node-a's FDB sends node-b's VTEP MAC to 10.0.2.15 (no node) -> VTEP_MISMATCH, dies on the underlay"
  [dual-ip]="node-b encapsulates from a second uplink address 192.168.233.130; node-a's rp_filter drops replies"
  [mtu-blackhole]="pods at MTU 1500 over flannel.1 at 1450, frag-needed dropped: small passes, large dies"
  [port-closed]="TCP to a closed port (RST) and UDP to a closed port (ICMP port unreachable)"
  [dns]="queries to a resolver that never answers and to one that answers SERVFAIL -> DNS_FAILURE"
  [nodeport]="underlay client -> node-a:30080 -> DNAT to pod-b1 over VXLAN, MASQUERADEd: one conversation"
  [vxlan6-blocked]="dual-stack lab: node-b's ip6tables INPUT drops 8472/udp over IPv6 -> ONE_WAY for the IPv6 pod flows (IPv4 passes)"
)

log() { printf 'lab: %s\n' "$*"; }
die() {
  printf 'lab: error: %s\n' "$*" >&2
  exit 1
}
usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}
need_root() { [[ ${EUID} -eq 0 ]] || die "must run as root (network namespaces, veth, iptables, tcpdump)"; }
need_tools() {
  local t missing=()
  for t in ip bridge "$IPT" "$IP6T" tcpdump ping socat dig ethtool jq timeout flock "$PY"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (Debian: apt-get install -y iproute2 iptables tcpdump iputils-ping socat dnsutils ethtool jq python3)"
}

nsx() { # nsx NS cmd...: run in a namespace
  local ns="$1"
  shift
  ip netns exec "$ns" "$@"
}
node_ns() { printf 'ht-node-%s' "$1"; }
pod_ns() { printf 'ht-pod-%s' "$1"; }
lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep '^ht-' || true; }
all_ns() { printf '%s\n' "$NS_UL" "$NS_CLIENT" "$(node_ns a)" "$(node_ns b)" "$(pod_ns a1)" "$(pod_ns b1)" "$(pod_ns b2)" "$(pod_ns b3)"; }

lock() { # one mutating lab command at a time; down forces its way after 30 s
  mkdir -p "$RUN_DIR/pids"
  exec 9>"$RUN_DIR/lock"
  if [[ $1 == down ]]; then
    flock -w 30 9 || log "another lab command holds $RUN_DIR/lock: cleaning up anyway"
  else
    flock -w 180 9 || die "another lab command holds $RUN_DIR/lock"
  fi
}

kill_sockets() { # no TCP socket of this scenario may keep retransmitting into the next one
  local p
  nsx "$NS_CLIENT" ss -K -tn >/dev/null 2>&1 || true
  for p in "${PODS[@]}"; do
    nsx "$(pod_ns "$p")" ss -K -tn >/dev/null 2>&1 || true
  done
}

# --- background processes -------------------------------------------------------------------

# spawn NAME NS cmd...: start a lab process inside NS, remember its pid.
spawn() {
  local name="$1" ns="$2"
  shift 2
  ip netns exec "$ns" "$@" 9>&- >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/pids/$name.pid"
}
stop_bg() { # stop_bg NAME... (SIGTERM, then wait)
  local n pid
  for n in "$@"; do
    [[ -f "$RUN_DIR/pids/$n.pid" ]] || continue
    pid=$(<"$RUN_DIR/pids/$n.pid")
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$RUN_DIR/pids/$n.pid"
  done
}
wait_listen() { # wait_listen NS PROTO PORT
  local i flag=-ltn
  [[ $2 == udp ]] && flag=-lun
  for i in $(seq 1 50); do
    if nsx "$1" ss -H "$flag" "sport = :$3" 2>/dev/null | grep -q .; then return 0; fi
    sleep 0.1
  done
  die "no $2 listener on port $3 in $1"
}
start_server() { # start_server POD PORT KIND(echo|bulk)
  local pod="$1" port="$2" kind="$3" cmd
  # shellcheck disable=SC2016 # $l is expanded by the server's shell
  case "$kind" in
    echo) cmd='read -r l; echo "hello from server: $l"' ;;
    bulk) cmd='read -r l; head -c 6000 /dev/zero' ;;
  esac
  local listen="TCP-LISTEN:$port,reuseaddr,fork"
  # on a dual-stack lab one listener for both families
  ! dual || listen="TCP6-LISTEN:$port,reuseaddr,fork,ipv6only=0"
  spawn "srv-$pod-$port" "$(pod_ns "$pod")" timeout 120 socat -T 10 "$listen" "SYSTEM:$cmd"
  wait_listen "$(pod_ns "$pod")" tcp "$port"
}
start_dns() { # start_dns POD MODE
  spawn "dns-$1" "$(pod_ns "$1")" timeout 120 "$PY" "$LAB_HOME/tools/dnsd.py" --mode "$2" --port 53 --lifetime 110
  wait_listen "$(pod_ns "$1")" udp 53
}
stop_servers() {
  local f
  for f in "$RUN_DIR"/pids/srv-*.pid "$RUN_DIR"/pids/dns-*.pid; do
    [[ -e "$f" ]] || continue
    stop_bg "$(basename "$f" .pid)"
  done
}

# --- down -----------------------------------------------------------------------------------

cmd_down() {
  local ns pid i
  # 1. every process inside a lab namespace, found by namespace whoever started it (every lab
  #    process runs inside one; pid files are not trusted after a crash: pids get reused)
  for i in 1 2 3; do
    local left=0
    for ns in $(lab_namespaces); do
      for pid in $(ip netns pids "$ns" 2>/dev/null); do
        left=1
        if ((i < 3)); then kill -TERM "$pid" 2>/dev/null || true; else kill -KILL "$pid" 2>/dev/null || true; fi
      done
    done
    ((left)) || break
    sleep 0.5
  done
  # 2. the namespaces (their veths, bridges and vxlan devices go with them)
  for ns in $(lab_namespaces); do
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -f "$RUN_DIR/up.ok" "$RUN_DIR/stack" "$RUN_DIR/fault" "$RUN_DIR"/*.log "$RUN_DIR"/pids/*.pid
  local rest
  rest=$(lab_namespaces)
  [[ -z "$rest" ]] || die "namespaces left after down: $rest"
  log "down: no ht-* namespace, interface or lab process left"
}

# --- up -------------------------------------------------------------------------------------

ns_base() { # ns_base NS [v6]: loopback up; no IPv6 unless v6 (keeps captures free of RS/MLD/DAD noise)
  local ns="$1"
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  if [[ ${2:-} == v6 ]]; then
    # IPv6 without link-local addresses, DAD, router solicitations or RAs: static addresses and
    # neighbours only, so that captures hold the scenario's packets and nothing else
    nsx "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.all.disable_ipv6=0
  else
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  fi
}
dual() { [[ $STACK == dual ]]; }
v6() { dual && printf v6; }

build_underlay() {
  ns_base "$NS_UL"
  ip -n "$NS_UL" link add "$UL_BR" type bridge
  ip -n "$NS_UL" link set "$UL_BR" address "$UL_GW_MAC" up
  # the underlay bridge is also a router (192.168.232.1) for the no-route scenario; nobody
  # uses it as a default gateway.
  ip -n "$NS_UL" addr add "$UL_GW/24" dev "$UL_BR"
  nsx "$NS_UL" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
    net.ipv4.conf.default.send_redirects=0 net.bridge.bridge-nf-call-iptables=1 \
    net.ipv4.icmp_ratelimit=0 # every lost datagram gets its ICMP error (no-route counts them)
  ns_base "$NS_CLIENT"
  ip -n "$NS_UL" link add ul-client type veth peer name eth0 netns "$NS_CLIENT"
  ip -n "$NS_CLIENT" link set eth0 address "$CLIENT_MAC" up
  ip -n "$NS_CLIENT" addr add "$CLIENT_IP/24" dev eth0
  ip -n "$NS_UL" link set ul-client master "$UL_BR" up
  nsx "$NS_CLIENT" sysctl -qw net.ipv4.tcp_tw_reuse=1
}

build_node() {
  local n="$1" ns peer
  ns=$(node_ns "$n")
  peer=${N_PEER[$n]}
  ns_base "$ns" "$(v6)"
  nsx "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.default.rp_filter=1 \
    net.bridge.bridge-nf-call-iptables=1
  # uplink: ens33 in the node, ul-X on the underlay bridge (no unknown-unicast flooding:
  # a frame for a MAC that no lab interface owns dies on the bridge, like on a switch)
  ip -n "$NS_UL" link add "ul-$n" type veth peer name ens33 netns "$ns"
  ip -n "$ns" link set ens33 address "${N_MAC[$n]}" up
  ip -n "$ns" addr add "${N_IP[$n]}/24" dev ens33
  nsx "$ns" sysctl -qw net.ipv4.conf.ens33.rp_filter=1
  ip -n "$NS_UL" link set "ul-$n" master "$UL_BR" up
  bridge -n "$NS_UL" link set dev "ul-$n" flood off
  bridge -n "$NS_UL" fdb add "${N_MAC[$n]}" dev "ul-$n" master static
  # the peer node's uplink MAC is known (static ARP keeps the captures free of ARP and lets the
  # dual-ip scenario reach rp_filter instead of failing at ARP)
  ip -n "$ns" neigh replace "${N_IP[$peer]}" lladdr "${N_MAC[$peer]}" dev ens33 nud permanent
  # flannel.1 as flanneld creates it
  ip -n "$ns" link add flannel.1 type vxlan id 1 local "${N_IP[$n]}" dev ens33 dstport 8472 nolearning
  ip -n "$ns" link set flannel.1 mtu 1450 address "${N_VTEP_MAC[$n]}" up
  ip -n "$ns" addr add "${N_NET[$n]}/32" dev flannel.1
  # cni0 as the bridge CNI plugin creates it
  ip -n "$ns" link add cni0 type bridge
  ip -n "$ns" link set cni0 address "${N_CNI_MAC[$n]}" mtu 1450 up
  ip -n "$ns" addr add "${N_GW[$n]}/24" dev cni0
  if dual; then
    nsx "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1 net.bridge.bridge-nf-call-ip6tables=1
    ip -n "$ns" addr add "${N_IP6[$n]}/64" dev ens33 nodad
    ip -n "$ns" neigh replace "${N_IP6[$peer]}" lladdr "${N_MAC[$peer]}" dev ens33 nud permanent
    # flannel-v6.1 as flanneld creates it for the IPv6 network (EnableIPv6)
    ip -n "$ns" link add flannel-v6.1 type vxlan id 1 local "${N_IP6[$n]}" dev ens33 dstport 8472 nolearning
    ip -n "$ns" link set flannel-v6.1 mtu 1430 address "${N_VTEP6_MAC[$n]}" up
    ip -n "$ns" addr add "${N_NET6[$n]}/128" dev flannel-v6.1 nodad
    ip -n "$ns" addr add "${N_GW6[$n]}/64" dev cni0 nodad
  fi
}

link_nodes() { # flannel's route, neighbour and FDB entries for the peer subnet
  local n="$1" ns peer
  ns=$(node_ns "$n")
  peer=${N_PEER[$n]}
  ip -n "$ns" route add "${N_CIDR[$peer]}" via "${N_NET[$peer]}" dev flannel.1 onlink
  ip -n "$ns" neigh replace "${N_NET[$peer]}" lladdr "${N_VTEP_MAC[$peer]}" dev flannel.1 nud permanent
  bridge -n "$ns" fdb append "${N_VTEP_MAC[$peer]}" dev flannel.1 dst "${N_IP[$peer]}"
  if dual; then
    ip -n "$ns" -6 route add "${N_CIDR6[$peer]}" via "${N_NET6[$peer]}" dev flannel-v6.1 onlink
    ip -n "$ns" neigh replace "${N_NET6[$peer]}" lladdr "${N_VTEP6_MAC[$peer]}" dev flannel-v6.1 nud permanent
    bridge -n "$ns" fdb append "${N_VTEP6_MAC[$peer]}" dev flannel-v6.1 dst "${N_IP6[$peer]}"
  fi
}

build_pod() {
  local p="$1" n ns pns veth
  n=${P_NODE[$p]}
  ns=$(node_ns "$n")
  pns=$(pod_ns "$p")
  veth=${P_VETH[$p]}
  ns_base "$pns" "$(v6)"
  ip -n "$ns" link add "$veth" type veth peer name eth0 netns "$pns"
  ip -n "$ns" link set "$veth" mtu 1450 master cni0 up
  ip -n "$pns" link set eth0 address "${P_MAC[$p]}" mtu 1450 up
  ip -n "$pns" addr add "${P_IP[$p]}/24" dev eth0
  ip -n "$pns" route add default via "${N_GW[$n]}" dev eth0
  # no TSO/GSO on the pod side: captures show packets at their wire size
  nsx "$pns" ethtool -K eth0 tso off gso off >/dev/null 2>&1 || true
  nsx "$pns" sysctl -qw net.ipv4.tcp_tw_reuse=1
  if dual; then
    ip -n "$pns" addr add "${P_IP6[$p]}/64" dev eth0 nodad
    ip -n "$pns" -6 route add default via "${N_GW6[$n]}" dev eth0
    ip -n "$pns" neigh replace "${N_GW6[$n]}" lladdr "${N_CNI_MAC[$n]}" dev eth0 nud permanent
    ip -n "$ns" neigh replace "${P_IP6[$p]}" lladdr "${P_MAC[$p]}" dev cni0 nud permanent
  fi
}

ipt() { # ipt NS args...
  local ns="$1"
  shift
  nsx "$ns" "$IPT" -w "$@"
}

nat_rules() { # kube-proxy (iptables mode) and flannel, as they write them
  local n="$1" ns c
  ns=$(node_ns "$n")
  for c in KUBE-SERVICES KUBE-NODEPORTS KUBE-POSTROUTING KUBE-MARK-MASQ KUBE-SVC-LAB KUBE-EXT-LAB KUBE-SEP-LAB FLANNEL-POSTRTG; do
    ipt "$ns" -t nat -N "$c"
  done
  ipt "$ns" -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  ipt "$ns" -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
  ipt "$ns" -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
  ipt "$ns" -t nat -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
  ipt "$ns" -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
  ipt "$ns" -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
  ipt "$ns" -t nat -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
  ipt "$ns" -t nat -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
  ipt "$ns" -t nat -A KUBE-SERVICES -d "$SVC_IP/32" -p tcp -m comment --comment "lab/web cluster IP" -m tcp --dport "$SVC_PORT" -j KUBE-SVC-LAB
  ipt "$ns" -t nat -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
  ipt "$ns" -t nat -A KUBE-NODEPORTS -p tcp -m comment --comment "lab/web" -m tcp --dport "$NODE_PORT" -j KUBE-EXT-LAB
  ipt "$ns" -t nat -A KUBE-EXT-LAB -m comment --comment "masquerade traffic for lab/web external destinations" -j KUBE-MARK-MASQ
  ipt "$ns" -t nat -A KUBE-EXT-LAB -j KUBE-SVC-LAB
  ipt "$ns" -t nat -A KUBE-SVC-LAB ! -s 10.244.0.0/16 -d "$SVC_IP/32" -p tcp -m tcp --dport "$SVC_PORT" -j KUBE-MARK-MASQ
  ipt "$ns" -t nat -A KUBE-SVC-LAB -m comment --comment "lab/web -> ${P_IP[b1]}:$APP_PORT" -j KUBE-SEP-LAB
  ipt "$ns" -t nat -A KUBE-SEP-LAB -s "${P_IP[b1]}/32" -j KUBE-MARK-MASQ
  ipt "$ns" -t nat -A KUBE-SEP-LAB -p tcp -m tcp -j DNAT --to-destination "${P_IP[b1]}:$APP_PORT"
  # flannel (--random-fully left out so that the lab's source ports are reproducible)
  ipt "$ns" -t nat -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
  ipt "$ns" -t nat -A FLANNEL-POSTRTG -s "${N_CIDR[$n]}" -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
  ipt "$ns" -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 -d "${N_CIDR[$n]}" -m comment --comment "flanneld masq" -j RETURN
  ipt "$ns" -t nat -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d "${N_CIDR[$n]}" -m comment --comment "flanneld masq" -j RETURN
  ipt "$ns" -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE
  ipt "$ns" -t nat -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE
  ipt "$ns" -t filter -N FLANNEL-FWD
  ipt "$ns" -t filter -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
  ipt "$ns" -t filter -A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
  ipt "$ns" -t filter -A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
}

is_up() { # is_up [STACK]: the lab is up (built as STACK when given)
  [[ -f "$RUN_DIR/up.ok" ]] || return 1
  [[ -z ${1:-} || $(cat "$RUN_DIR/stack" 2>/dev/null || echo single) == "$1" ]] || return 1
  local ns
  for ns in $(all_ns); do
    [[ -e "/run/netns/$ns" ]] || return 1
  done
}

verify_isolation() {
  local ns bad="" addr nsid name
  # (a) the root namespace holds no veth whose peer is in a lab namespace, and no lab name
  local lab_ids
  lab_ids=$(ip -j netns list-id 2>/dev/null | jq -r '.[] | select((.name // "") | startswith("ht-")) | .nsid')
  for nsid in $lab_ids; do
    name=$(ip -d -j link show 2>/dev/null | jq -r --argjson id "$nsid" '.[] | select(.link_netnsid == $id) | .ifname')
    [[ -z "$name" ]] || bad+=" root-namespace interface(s) linked into the lab: $name;"
  done
  # (b) inside the lab: every veth's peer is in a lab namespace, no default route, lab addresses only
  for ns in $(all_ns); do
    local named unnamed
    named=$(ip -n "$ns" -j netns list-id | jq -c '[.[] | select((.name // "") | startswith("ht-")) | .nsid]')
    unnamed=$(ip -n "$ns" -d -j link show | jq -r --argjson ok "$named" \
      '.[] | select(.link_netnsid != null) | select(.link_netnsid as $id | $ok | index($id) | not) | .ifname')
    [[ -z "$unnamed" ]] || bad+=" $ns: $unnamed has its peer outside the lab;"
    # pods route by default to their node's cni0 (inside the lab); nothing else has a default route
    local outside
    outside=$(ip -n "$ns" -4 route show table all | grep -E '^(default|0\.0\.0\.0)' | grep -v ' via 10\.244\.[01]\.1 dev eth0' || true)
    [[ -z "$outside" ]] || bad+=" $ns: default route out of the lab ($outside);"
    for addr in $(ip -n "$ns" -j -4 addr show | jq -r '.[].addr_info[].local'); do
      case "$addr" in
        127.* | 192.168.232.* | 10.244.*) ;;
        *) bad+=" $ns: non-lab address $addr;" ;;
      esac
    done
    outside=$(ip -n "$ns" -6 route show table all 2>/dev/null | grep -E '^default' | grep -vE ' via (fd00:10:244::1|fd00:10:244:1::1) dev eth0' || true)
    [[ -z "$outside" ]] || bad+=" $ns: IPv6 default route out of the lab ($outside);"
    for addr in $(ip -n "$ns" -j -6 addr show 2>/dev/null | jq -r '.[].addr_info[].local'); do
      case "$addr" in
        ::1 | fd00:232::* | fd00:10:244:*) ;;
        *) bad+=" $ns: non-lab address $addr;" ;;
      esac
    done
  done
  [[ -z "$bad" ]] || die "isolation check failed:$bad"
  log "isolation verified: no root-namespace link, no default route, lab addresses only"
}

verify_connectivity() {
  local i
  for i in 1 2 3; do
    if nsx "$(pod_ns a1)" ping -n -q -c 1 -W 1 "${P_IP[b1]}" >/dev/null 2>&1 &&
      nsx "$(pod_ns b1)" ping -n -q -c 1 -W 1 "${P_IP[a1]}" >/dev/null 2>&1; then
      if dual && ! { nsx "$(pod_ns a1)" ping -6 -n -q -c 1 -W 1 "${P_IP6[b1]}" >/dev/null 2>&1 &&
        nsx "$(pod_ns b1)" ping -6 -n -q -c 1 -W 1 "${P_IP6[a1]}" >/dev/null 2>&1; }; then
        sleep 0.3
        continue
      fi
      local via=flannel.1
      ! dual || via="flannel.1 and flannel-v6.1 (IPv6)"
      log "connectivity verified: pod-a1 <-> pod-b1 across $via"
      return 0
    fi
    sleep 0.3
  done
  die "pod-a1 and pod-b1 cannot ping each other across flannel.1"
}

cmd_up() { # cmd_up [STACK]: single (default) or dual
  STACK=${1:-single}
  if is_up "$STACK"; then
    log "already up ($STACK stack)"
    verify_isolation
    return 0
  fi
  if [[ -n "$(lab_namespaces)" ]]; then
    log "a lab of another stack or a partial lab (crashed run?) found: taking it down first"
    cmd_down
  fi
  mkdir -p "$RUN_DIR/pids"
  log "building a $STACK-stack lab"
  log "building underlay ($NS_UL, bridge $UL_BR, router $UL_GW) and client $NS_CLIENT ($CLIENT_IP)"
  build_underlay
  local n p
  for n in "${NODES[@]}"; do
    log "building $(node_ns "$n"): ens33 ${N_IP[$n]}, flannel.1 ${N_NET[$n]} (VNI 1, 8472), cni0 ${N_GW[$n]}/24"
    build_node "$n"
  done
  for n in "${NODES[@]}"; do link_nodes "$n"; done
  for p in "${PODS[@]}"; do
    log "building $(pod_ns "$p"): eth0 ${P_IP[$p]} behind ${P_VETH[$p]} on node-${P_NODE[$p]} (${P_ROLE[$p]})"
    build_pod "$p"
  done
  for n in "${NODES[@]}"; do nat_rules "$n"; done
  verify_isolation
  verify_connectivity
  echo "$STACK" >"$RUN_DIR/stack"
  touch "$RUN_DIR/up.ok"
  log "up"
}

# ensure_up [SCENARIO]: the lab up as the scenario needs it (rebuilt when the stack differs)
ensure_up() {
  local want=single
  [[ -z ${1:-} ]] || want=${S_STACK[$1]:-single}
  if is_up "$want"; then
    STACK=$want
    return 0
  fi
  cmd_up "$want"
}

# --- status / list --------------------------------------------------------------------------

cmd_list() {
  local s
  for s in "${SCENARIOS[@]}"; do printf '%-14s %s\n' "$s" "${S_DESC[$s]}"; done
}

cmd_status() {
  local ns
  if is_up; then log "lab is up ($(cat "$RUN_DIR/stack" 2>/dev/null || echo single) stack)"; else log "lab is not (fully) up"; fi
  [[ -f "$RUN_DIR/fault" ]] && log "active fault: $(<"$RUN_DIR/fault")"
  for ns in $(lab_namespaces); do
    printf '%s:\n' "$ns"
    ip -n "$ns" -br addr show | sed 's/^/  /'
    local pids
    pids=$(ip netns pids "$ns" | tr '\n' ' ')
    [[ -z "$pids" ]] || printf '  processes: %s\n' "$pids"
  done
}

# --- faults ---------------------------------------------------------------------------------
# apply_X / revert_X change the running lab in place (no interface is recreated, so live
# sensors keep their handles). Reverts are idempotent; a fault left by a killed run is
# reverted by the next scenario/record (or removed by down).

VARIANT=""

apply_vxlan-blocked() {
  case "${VARIANT:-host}" in
    host) ipt "$(node_ns b)" -I INPUT -p udp --dport 8472 -m comment --comment "$TAG" -j DROP ;;
    underlay) ipt "$NS_UL" -I FORWARD -p udp --dport 8472 -m comment --comment "$TAG" -j DROP ;;
    *) die "vxlan-blocked: unknown --variant '$VARIANT' (host|underlay)" ;;
  esac
}
revert_vxlan-blocked() {
  while ipt "$(node_ns b)" -D INPUT -p udp --dport 8472 -m comment --comment "$TAG" -j DROP 2>/dev/null; do :; done
  while ipt "$NS_UL" -D FORWARD -p udp --dport 8472 -m comment --comment "$TAG" -j DROP 2>/dev/null; do :; done
}
apply_no-route() {
  ip -n "$(node_ns a)" route replace "${N_IP[b]}/32" via "$UL_GW" dev ens33
  ip -n "$NS_UL" route replace unreachable "${N_IP[b]}/32"
}
revert_no-route() {
  ip -n "$(node_ns a)" route del "${N_IP[b]}/32" 2>/dev/null || true
  ip -n "$NS_UL" route del unreachable "${N_IP[b]}/32" 2>/dev/null || true
}
apply_wrong-vtep() {
  local a
  a=$(node_ns a)
  bridge -n "$a" fdb del "${N_VTEP_MAC[b]}" dev flannel.1 dst "${N_IP[b]}" 2>/dev/null || true
  bridge -n "$a" fdb append "${N_VTEP_MAC[b]}" dev flannel.1 dst "$WRONG_VTEP"
  # 10.0.2.0/24 is reachable on the uplink (like a NAT NIC's subnet) and its neighbour entry
  # names a MAC that no lab interface owns: the frames leave ens33 and die on the underlay bridge
  ip -n "$a" route replace 10.0.2.0/24 dev ens33 scope link
  ip -n "$a" neigh replace "$WRONG_VTEP" lladdr "$WRONG_VTEP_MAC" dev ens33 nud permanent
}
revert_wrong-vtep() {
  local a
  a=$(node_ns a)
  bridge -n "$a" fdb del "${N_VTEP_MAC[b]}" dev flannel.1 dst "$WRONG_VTEP" 2>/dev/null || true
  bridge -n "$a" fdb append "${N_VTEP_MAC[b]}" dev flannel.1 dst "${N_IP[b]}" 2>/dev/null || true
  ip -n "$a" neigh del "$WRONG_VTEP" dev ens33 2>/dev/null || true
  ip -n "$a" route del 10.0.2.0/24 dev ens33 2>/dev/null || true
}
apply_dual-ip() {
  local b
  b=$(node_ns b)
  ip -n "$b" addr replace "$DUAL_IP/24" dev ens33
  ip -n "$b" link set flannel.1 type vxlan local "$DUAL_IP"
}
revert_dual-ip() {
  local b
  b=$(node_ns b)
  ip -n "$b" link set flannel.1 type vxlan local "${N_IP[b]}" 2>/dev/null || true
  ip -n "$b" addr del "$DUAL_IP/24" dev ens33 2>/dev/null || true
}
set_pod_mtu() { # set_pod_mtu MTU
  local p n
  for n in "${NODES[@]}"; do ip -n "$(node_ns "$n")" link set cni0 mtu "$1"; done
  for p in a1 b1; do
    ip -n "$(node_ns "${P_NODE[$p]}")" link set "${P_VETH[$p]}" mtu "$1"
    ip -n "$(pod_ns "$p")" link set eth0 mtu "$1"
  done
}
apply_mtu-blackhole() {
  local n
  set_pod_mtu 1500
  for n in "${NODES[@]}"; do
    ipt "$(node_ns "$n")" -I OUTPUT -p icmp --icmp-type fragmentation-needed -m comment --comment "$TAG" -j DROP
  done
}
revert_mtu-blackhole() {
  local n p
  for n in "${NODES[@]}"; do
    while ipt "$(node_ns "$n")" -D OUTPUT -p icmp --icmp-type fragmentation-needed -m comment --comment "$TAG" -j DROP 2>/dev/null; do :; done
  done
  set_pod_mtu 1450 2>/dev/null || true
  for p in a1 b1; do nsx "$(pod_ns "$p")" ip route flush cache 2>/dev/null || true; done
}
apply_healthy() { :; }
revert_healthy() { :; }
apply_port-closed() { :; }
revert_port-closed() { :; }
apply_dns() { :; }
revert_dns() { :; }
apply_nodeport() { :; }
revert_nodeport() { :; }

v6_blocked_node() { # the node whose firewall drops VXLAN over IPv6: --variant node-a, else node-b
  if [[ ${VARIANT:-node-b} == node-a ]]; then printf a; else printf b; fi
}
apply_vxlan6-blocked() { # that node's host firewall drops VXLAN over IPv6 (IPv4 VXLAN passes)
  [[ ${VARIANT:-node-b} == node-[ab] ]] || die "vxlan6-blocked: unknown variant '$VARIANT' (node-a | node-b)"
  nsx "$(node_ns "$(v6_blocked_node)")" "$IP6T" -w -t filter -I INPUT -p udp --dport 8472 -m comment --comment "$TAG" -j DROP
}
revert_vxlan6-blocked() {
  local n
  for n in a b; do
    while nsx "$(node_ns "$n")" "$IP6T" -w -t filter -D INPUT -p udp --dport 8472 -m comment --comment "$TAG" -j DROP 2>/dev/null; do :; done
  done
}

apply_fault() {
  printf '%s %s\n' "$1" "${VARIANT:-}" >"$RUN_DIR/fault"
  "apply_$1"
}
revert_fault() {
  [[ -f "$RUN_DIR/fault" ]] || return 0
  local name
  read -r name _ <"$RUN_DIR/fault"
  if [[ -n "$name" ]] && declare -F "revert_$name" >/dev/null; then "revert_$name"; fi
  rm -f "$RUN_DIR/fault"
}

# --- traffic (every client bounded) ---------------------------------------------------------

pod_ping() { # pod_ping POD DST COUNT
  log "ping pod-$1 -> $2 ($3 echo requests)"
  local fam=-4
  [[ $2 != *:* ]] || fam=-6
  nsx "$(pod_ns "$1")" ping "$fam" -n -q -c "$3" -i 0.3 -W 1 "$2" 2>&1 | sed -n 's/^/    /;/packets transmitted/p' || true
}
tcp_call() { # tcp_call NS SRC_PORT DST PORT CONNECT_TIMEOUT (client talks, server answers and closes)
  local ns="$1" sport="$2" dst="$3" port="$4" ct="$5" out rc=0 to
  to="TCP:$dst:$port"
  [[ $dst != *:* ]] || to="TCP6:[$dst]:$port"
  out=$(printf 'hello from %s\n' "$ns" | timeout $((${ct%.*} + 7)) ip netns exec "$ns" \
    socat -t 4 -T 5 - "$to,sourceport=$sport,reuseaddr,connect-timeout=$ct,shut-none" 2>&1) || rc=$?
  if ((rc == 0)); then
    log "tcp $ns:$sport -> $dst:$port: ok (${#out} bytes back)"
  else
    log "tcp $ns:$sport -> $dst:$port: failed (rc $rc: $(printf '%s' "$out" | tail -n 1 | cut -c1-100))"
  fi
}
udp_send() { # udp_send POD SRC_PORT DST PORT COUNT
  local i ns
  ns=$(pod_ns "$1")
  log "udp pod-$1:$2 -> $3:$4 ($5 datagrams)"
  for i in $(seq 1 "$5"); do
    printf 'datagram %s\n' "$i" | timeout 3 ip netns exec "$ns" socat -u - "UDP:$3:$4,sourceport=$2,reuseaddr" 2>/dev/null || true
    sleep 0.3
  done
}
dns_query() { # dns_query POD SRC_PORT RESOLVER NAME
  local out status
  out=$(timeout 6 ip netns exec "$(pod_ns "$1")" dig +tries=1 +time=2 +noedns +nocookie -b "${P_IP[$1]}#$2" "@$3" "$4" A 2>&1 || true)
  status=$(printf '%s' "$out" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n 1)
  [[ -n "$status" ]] || status="no answer"
  log "dns pod-$1:$2 -> $3: $4 -> $status"
}

traffic_healthy() {
  start_server b1 "$APP_PORT" echo
  start_server a1 "$APP_PORT" echo
  pod_ping a1 "${P_IP[b1]}" 3
  pod_ping b1 "${P_IP[a1]}" 3
  tcp_call "$(pod_ns a1)" 40001 "${P_IP[b1]}" "$APP_PORT" 3
  tcp_call "$(pod_ns b1)" 40002 "${P_IP[a1]}" "$APP_PORT" 3
  tcp_call "$(pod_ns a1)" 40003 "$SVC_IP" "$SVC_PORT" 3
}
traffic_vxlan-blocked() {
  start_server b1 "$APP_PORT" echo
  pod_ping a1 "${P_IP[b1]}" 3
  tcp_call "$(pod_ns a1)" 40011 "${P_IP[b1]}" "$APP_PORT" 2.5
}
traffic_no-route() {
  start_server b1 "$APP_PORT" echo
  pod_ping a1 "${P_IP[b1]}" 5
  tcp_call "$(pod_ns a1)" 40021 "${P_IP[b1]}" "$APP_PORT" 2.5
}
traffic_wrong-vtep() {
  start_server b1 "$APP_PORT" echo
  pod_ping a1 "${P_IP[b1]}" 3
  tcp_call "$(pod_ns a1)" 40031 "${P_IP[b1]}" "$APP_PORT" 2.5
}
traffic_dual-ip() {
  start_server b1 "$APP_PORT" echo
  pod_ping a1 "${P_IP[b1]}" 3
  tcp_call "$(pod_ns a1)" 40041 "${P_IP[b1]}" "$APP_PORT" 8
}
traffic_mtu-blackhole() {
  start_server b1 "$BULK_PORT" bulk
  pod_ping a1 "${P_IP[b1]}" 3
  tcp_call "$(pod_ns a1)" 40051 "${P_IP[b1]}" "$BULK_PORT" 3
}
traffic_port-closed() {
  tcp_call "$(pod_ns a1)" 40061 "${P_IP[b1]}" 9 3
  tcp_call "$(pod_ns a1)" 40062 "${P_IP[b1]}" 9 3
  tcp_call "$(pod_ns a1)" 40063 "${P_IP[b1]}" 9 3
  udp_send a1 40064 "${P_IP[b1]}" 9999 5
}
traffic_dns() {
  start_dns b2 silent
  start_dns b3 servfail
  local i
  for i in 1 2 3; do dns_query a1 $((40070 + i)) "${P_IP[b2]}" "web.lab.svc.cluster.local"; done
  for i in 1 2 3; do dns_query a1 $((40073 + i)) "${P_IP[b3]}" "web.lab.svc.cluster.local"; done
}
traffic_vxlan6-blocked() {
  start_server b1 "$APP_PORT" echo
  pod_ping a1 "${P_IP6[b1]}" 3
  tcp_call "$(pod_ns a1)" 40081 "${P_IP6[b1]}" "$APP_PORT" 2.5
  pod_ping b1 "${P_IP6[a1]}" 3
  pod_ping a1 "${P_IP[b1]}" 2
}
traffic_nodeport() {
  start_server b1 "$APP_PORT" echo
  tcp_call "$NS_CLIENT" 42001 "${N_IP[a]}" "$NODE_PORT" 3
  tcp_call "$NS_CLIENT" 42002 "${N_IP[a]}" "$NODE_PORT" 3
}

# --- truth ----------------------------------------------------------------------------------
# flows: client->server 5-tuples (proto = IANA number, ports -1 when none); lostAt per direction
# (after = last hop that saw the packets, before = first expected hop that did not).
# alerts: what a correct detector must raise; tolerated: what it may raise as a consequence.

flow() { # flow SRC SPORT DST DPORT PROTO NOTE [LOSTAT_JSON] [NAT_JSON]
  jq -n --arg s "$1" --argjson sp "$2" --arg d "$3" --argjson dp "$4" --argjson p "$5" --arg note "$6" \
    --argjson lost "${7:-[]}" --argjson nat "${8:-null}" \
    '{src:$s, sport:$sp, dst:$d, dport:$dp, proto:$p, protoName:({"1":"ICMP","6":"TCP","17":"UDP","58":"ICMPv6"}[$p|tostring]), note:$note, lostAt:$lost}
     + (if $nat == null then {} else {nat:$nat} end)'
}
lost() { # lost DIRECTION AFTER BEFORE
  jq -n --arg dir "$1" --arg a "$2" --arg b "$3" '{direction:$dir, after:$a, before:$b}'
}

truth_json() { # truth_json NAME -> stdout
  local s="$1" a1=${P_IP[a1]} b1=${P_IP[b1]} flows alerts tolerated desc fault
  tolerated='[]'
  case "$s" in
    healthy)
      desc="Pod-to-pod ping and TCP both ways across node-a and node-b over flannel VXLAN, plus a ClusterIP call (DNAT on node-a). Nothing is lost."
      fault="none"
      flows=$(jq -s . <(flow "$a1" -1 "$b1" -1 1 "ping pod-a1 -> pod-b1, 3 echo requests") \
        <(flow "$b1" -1 "$a1" -1 1 "ping pod-b1 -> pod-a1, 3 echo requests") \
        <(flow "$a1" 40001 "$b1" "$APP_PORT" 6 "TCP request/response, server closes") \
        <(flow "$b1" 40002 "$a1" "$APP_PORT" 6 "TCP request/response, server closes") \
        <(flow "$a1" 40003 "$SVC_IP" "$SVC_PORT" 6 "ClusterIP call" '[]' \
          "$(jq -n --arg b1 "$b1" '{node:"node-a", kind:"DNAT", translated:{src:"10.244.0.2", sport:40003, dst:$b1, dport:8080}}')"))
      alerts='[]'
      ;;
    vxlan-blocked)
      local after before where
      if [[ ${VARIANT:-host} == underlay ]]; then
        after=node-a/ens33 before=node-b/ens33 where="on the underlay bridge (FORWARD in $NS_UL)"
      else
        after=node-b/ens33 before=node-b/flannel.1 where="by node-b's host firewall (INPUT)"
      fi
      desc="UDP 8472 (VXLAN) from node-a to node-b is dropped $where: pod-a1's ping and TCP SYNs to pod-b1 never arrive."
      fault="8472/udp DROP $where"
      flows=$(jq -s . <(flow "$a1" -1 "$b1" -1 1 "ping, 3 echo requests, no reply" "[$(lost forward "$after" "$before")]") \
        <(flow "$a1" 40011 "$b1" "$APP_PORT" 6 "SYN + fewer than 3 retransmissions (2.5 s connect timeout), no SYN-ACK" "[$(lost forward "$after" "$before")]"))
      alerts=$(jq -n --arg a "$after" --arg b "$before" '[{type:"ONE_WAY", lostAt:{after:$a, before:$b}}]')
      ;;
    no-route)
      desc="node-a reaches node-b's VTEP (192.168.232.130) through the underlay router 192.168.232.1, which has an unreachable route to it and answers every VXLAN datagram with ICMP host unreachable (type 3 code 1) quoting the VXLAN packet; the pod flows inside the tunnel are broken."
      fault="node-a: 192.168.232.130/32 via 192.168.232.1; $NS_UL: unreachable 192.168.232.130/32"
      flows=$(jq -s . <(flow "$a1" -1 "$b1" -1 1 "ping, 5 echo requests, each answered by ICMP host unreachable from 192.168.232.1 (quoting the VXLAN datagram)" "[$(lost forward node-a/ens33 node-b/ens33)]") \
        <(flow "$a1" 40021 "$b1" "$APP_PORT" 6 "SYN + 2 retransmissions (2.5 s connect timeout), each answered by ICMP host unreachable for the VXLAN datagram" "[$(lost forward node-a/ens33 node-b/ens33)]"))
      alerts='[{"type":"ICMP_UNREACHABLE","reporter":"192.168.232.1","target":"192.168.232.130","icmpType":3,"icmpCode":1,"minCount":3,"seenAt":"node-a/ens33","quoted":"VXLAN 192.168.232.128 -> 192.168.232.130:8472 carrying the pod-a1 -> pod-b1 flows","lostAt":{"after":"node-a/ens33","before":"node-b/ens33"}}]'
      tolerated='[{"type":"ONE_WAY","why":"the pod flows get no reply; the ICMP error is about the outer VXLAN datagram"}]'
      ;;
    wrong-vtep)
      desc="node-a's flannel.1 FDB sends node-b's VTEP MAC (ca:fe:0a:f4:01:00) to 10.0.2.15, an address no node owns (a NAT-only NIC address). The VXLAN datagrams leave node-a's ens33 towards 10.0.2.15 and die on the underlay bridge."
      fault="node-a: bridge fdb ca:fe:0a:f4:01:00 dev flannel.1 dst 10.0.2.15 (instead of 192.168.232.130)"
      flows=$(jq -s . <(flow "$a1" -1 "$b1" -1 1 "ping, 3 echo requests, encapsulated to 10.0.2.15" "[$(lost forward node-a/ens33 node-b/ens33)]") \
        <(flow "$a1" 40031 "$b1" "$APP_PORT" 6 "SYN + fewer than 3 retransmissions (2.5 s connect timeout), encapsulated to 10.0.2.15" "[$(lost forward node-a/ens33 node-b/ens33)]"))
      alerts='[{"type":"VTEP_MISMATCH","vtep":"10.0.2.15","node":"node-a","device":"flannel.1","detail":"encapsulated packets sent to an outer address that is no node VTEP","lostAt":{"after":"node-a/ens33","before":"node-b/ens33"}}]'
      tolerated='[{"type":"ONE_WAY","why":"the pod flows get no reply at all"}]'
      ;;
    dual-ip)
      desc="node-b has a second uplink address 192.168.233.130/24 and its flannel.1 encapsulates from it. Requests from pod-a1 reach pod-b1; pod-b1's replies leave node-b with outer source 192.168.233.130, which node-a's reverse-path filter drops: the client retransmits."
      fault="node-b: ip addr add 192.168.233.130/24 dev ens33; flannel.1 local 192.168.233.130 (node-a's FDB still says 192.168.232.130)"
      flows=$(jq -s . <(flow "$a1" -1 "$b1" -1 1 "ping, 3 echo requests reach pod-b1, replies die at node-a" "[$(lost reply node-a/ens33 node-a/flannel.1)]") \
        <(flow "$a1" 40041 "$b1" "$APP_PORT" 6 "SYN + at least 3 retransmissions (8 s connect timeout) reach pod-b1; every SYN-ACK dies at node-a" "[$(lost reply node-a/ens33 node-a/flannel.1)]"))
      alerts='[{"type":"RETRANSMISSION_STORM","flow":{"src":"10.244.0.2","sport":40041,"dst":"10.244.1.2","dport":8080,"proto":6},"minRetransmissions":3},
               {"type":"ONE_WAY","direction":"reply","lostAt":{"after":"node-a/ens33","before":"node-a/flannel.1"}},
               {"type":"VTEP_MISMATCH","node":"node-b","vtep":"192.168.233.130","registered":"192.168.232.130","detail":"encapsulated packets from an outer source that is not the VTEP address the peers use for node-b"}]'
      ;;
    mtu-blackhole)
      desc="pod-a1, pod-b1 and both cni0 at MTU 1500 over flannel.1 at 1450, ICMP frag-needed dropped on both nodes. Pings and the TCP handshake/request pass; pod-b1's 1500-byte DF segments die on node-b between cni0 and flannel.1 and are retransmitted. Path MTU 1450."
      fault="MTU 1500 on pod-a1/pod-b1 eth0, their veths and cni0; iptables OUTPUT drops icmp fragmentation-needed on both nodes"
      flows=$(jq -s . <(flow "$a1" -1 "$b1" -1 1 "ping, 3 small echo requests, all answered") \
        <(flow "$a1" 40051 "$b1" "$BULK_PORT" 6 "small request passes; server's 1500-byte segments (6000 bytes) never leave node-b" "[$(lost reply node-b/cni0 node-b/flannel.1)]"))
      alerts='[{"type":"MTU_BLACKHOLE","pathMtu":1450,"passes":"<= 1450 bytes","lost":"1500-byte DF segments","lostAt":{"after":"node-b/cni0","before":"node-b/flannel.1"}}]'
      tolerated='[{"type":"RETRANSMISSION_STORM","why":"pod-b1 retransmits the large segments that cannot pass (symptom of the black hole)"}]'
      ;;
    port-closed)
      desc="pod-a1 connects three times to TCP port 9 on pod-b1 (RST each time) and sends 5 UDP datagrams to port 9999 (ICMP port unreachable each time). Rejected, not lost."
      fault="none (nothing listens on 9/tcp and 9999/udp in pod-b1)"
      flows=$(jq -s . <(flow "$a1" 40061 "$b1" 9 6 "SYN answered by RST (REJECTED)") \
        <(flow "$a1" 40062 "$b1" 9 6 "SYN answered by RST (REJECTED)") \
        <(flow "$a1" 40063 "$b1" 9 6 "SYN answered by RST (REJECTED)") \
        <(flow "$a1" 40064 "$b1" 9999 17 "5 datagrams, each answered by ICMP port unreachable"))
      alerts='[{"type":"ICMP_UNREACHABLE","reporter":"10.244.1.2","target":"10.244.1.2","icmpType":3,"icmpCode":3,"minCount":3,"flow":{"src":"10.244.0.2","sport":40064,"dst":"10.244.1.2","dport":9999,"proto":17}}]'
      tolerated='[]'
      ;;
    dns)
      desc="pod-a1 asks pod-b2 (10.244.1.3, never answers) three times and pod-b3 (10.244.1.4, SERVFAIL) three times."
      fault="none (resolver behaviour)"
      flows=$(jq -s . <(flow "$a1" 40071 "${P_IP[b2]}" 53 17 "query, no answer") <(flow "$a1" 40072 "${P_IP[b2]}" 53 17 "query, no answer") \
        <(flow "$a1" 40073 "${P_IP[b2]}" 53 17 "query, no answer") <(flow "$a1" 40074 "${P_IP[b3]}" 53 17 "query, SERVFAIL") \
        <(flow "$a1" 40075 "${P_IP[b3]}" 53 17 "query, SERVFAIL") <(flow "$a1" 40076 "${P_IP[b3]}" 53 17 "query, SERVFAIL"))
      alerts='[{"type":"DNS_FAILURE","resolver":"10.244.1.3","clients":["10.244.0.2"],"unanswered":3},
               {"type":"DNS_FAILURE","resolver":"10.244.1.4","clients":["10.244.0.2"],"servfail":3}]'
      tolerated='[{"type":"ONE_WAY","why":"the queries to 10.244.1.3 reach the resolver pod and get no reply"}]'
      ;;
    nodeport)
      desc="A client outside the cluster (192.168.232.200, on the underlay) calls node-a's NodePort 30080 twice; kube-proxy DNATs to pod-b1:8080 on node-b and MASQUERADEs to node-a's flannel.1 address 10.244.0.0; the reply is de-NATed on node-a. One conversation per call across the client-side tuple, the pod-side tuple and the VXLAN hop."
      fault="none"
      flows=$(jq -s . <(flow "$CLIENT_IP" 42001 "${N_IP[a]}" "$NODE_PORT" 6 "NodePort call 1" '[]' \
          '{"node":"node-a","kind":"DNAT+MASQUERADE","translated":{"src":"10.244.0.0","sport":42001,"dst":"10.244.1.2","dport":8080}}') \
        <(flow "$CLIENT_IP" 42002 "${N_IP[a]}" "$NODE_PORT" 6 "NodePort call 2" '[]' \
          '{"node":"node-a","kind":"DNAT+MASQUERADE","translated":{"src":"10.244.0.0","sport":42002,"dst":"10.244.1.2","dport":8080}}'))
      alerts='[]'
      ;;
    vxlan6-blocked)
      local a16=${P_IP6[a1]} b16=${P_IP6[b1]} x y
      x=node-$(v6_blocked_node)
      # the direction of each flow in which packets cross into the blocking node
      if [[ $x == node-b ]]; then y=(forward reply); else y=(reply forward); fi
      desc="Dual-stack lab (IPv4 over flannel.1, IPv6 over flannel-v6.1 between the nodes' IPv6 addresses). $x's ip6tables INPUT drops UDP 8472: VXLAN over IPv6 towards $x never reaches its flannel-v6.1, so pod-a1's IPv6 ping and TCP to pod-b1 and pod-b1's IPv6 ping of pod-a1 break in the direction into $x. IPv4 between the same pods passes."
      fault="$x: ip6tables -I INPUT -p udp --dport 8472 -j DROP"
      flows=$(jq -s . <(flow "$a16" -1 "$b16" -1 58 "IPv6 ping, 3 echo requests, no reply" "[$(lost "${y[0]}" "$x/ens33" "$x/flannel-v6.1")]") \
        <(flow "$a16" 40081 "$b16" "$APP_PORT" 6 "IPv6 SYN + fewer than 3 retransmissions (2.5 s connect timeout), no SYN-ACK" "[$(lost "${y[0]}" "$x/ens33" "$x/flannel-v6.1")]") \
        <(flow "$b16" -1 "$a16" -1 58 "IPv6 ping from pod-b1, 3 echo requests, no reply" "[$(lost "${y[1]}" "$x/ens33" "$x/flannel-v6.1")]") \
        <(flow "$a1" -1 "$b1" -1 1 "IPv4 ping, 2 echo requests, all answered"))
      alerts=$(jq -n --arg x "$x" --arg f "${y[0]}" --arg r "${y[1]}" \
        '[{type:"ONE_WAY", direction:$f, lostAt:{after:($x + "/ens33"), before:($x + "/flannel-v6.1")}, hintContains:("host firewall on " + $x + " drops 8472/udp")},
          {type:"ONE_WAY", direction:$r, lostAt:{after:($x + "/ens33"), before:($x + "/flannel-v6.1")}, hintContains:("host firewall on " + $x + " drops 8472/udp")}]')
      if [[ $x == node-a ]]; then
        tolerated='[{"type":"RETRANSMISSION_STORM","why":"the SYNs reach pod-b1, which retransmits its SYN-ACKs: they die at node-a (same segment)"}]'
      fi
      ;;
    *) die "no truth for $s" ;;
  esac
  jq -n --arg s "$s" --arg v "${VARIANT:-}" --arg d "$desc" --arg f "$fault" --argjson flows "$flows" \
    --argjson alerts "$alerts" --argjson tol "$tolerated" --arg stack "${S_STACK[$s]:-single}" \
    '{scenario:$s} + (if $v == "" then {} else {variant:$v} end) + (if $stack == "single" then {} else {stack:$stack} end)
     + {description:$d, fault:$f, flows:$flows, alerts:$alerts, tolerated:$tol,
        hopIds:"node/iface or node/pod/iface; lostAt.after = last hop that saw the packets, lostAt.before = first expected hop that did not"}'
}

# --- scenario / record ----------------------------------------------------------------------

check_scenario() {
  local s
  for s in "${SCENARIOS[@]}"; do [[ $s == "$1" ]] && return 0; done
  die "unknown scenario '$1' (lab.sh list)"
}

run_scenario() { # run_scenario NAME [after-fault-hook]
  local s="$1" hook="${2:-}"
  revert_fault
  stop_servers
  log "scenario $s${VARIANT:+ (variant $VARIANT)}: ${S_DESC[$s]}"
  apply_fault "$s"
  [[ -z "$hook" ]] || "$hook"
  "traffic_$s"
  sleep 1 # let the last replies / ICMP errors arrive
  stop_captures
  stop_servers
  kill_sockets
  revert_fault
  log "scenario $s done"
}

cmd_scenario() {
  check_scenario "$1"
  ensure_up "$1"
  run_scenario "$1"
}

# capture points: "node pod iface role file"
hops() {
  local n p
  for n in "${NODES[@]}"; do
    for p in "${PODS[@]}"; do
      [[ ${P_NODE[$p]} == "$n" ]] || continue
      printf 'node-%s pod-%s eth0 POD node-%s.pod-%s.eth0.pcap\n' "$n" "$p" "$n" "$p"
      printf 'node-%s - %s VETH node-%s.%s.pcap\n' "$n" "${P_VETH[$p]}" "$n" "${P_VETH[$p]}"
    done
    printf 'node-%s - cni0 BRIDGE node-%s.cni0.pcap\n' "$n" "$n"
    printf 'node-%s - flannel.1 VTEP node-%s.flannel.1.pcap\n' "$n" "$n"
    if dual; then printf 'node-%s - flannel-v6.1 VTEP node-%s.flannel-v6.1.pcap\n' "$n" "$n"; fi
    printf 'node-%s - ens33 UPLINK node-%s.ens33.pcap\n' "$n" "$n"
  done
}

start_captures() { # start_captures DIR
  local dir="$1" node pod iface role file ns name i
  while read -r node pod iface role file; do
    if [[ $pod == - ]]; then ns=ht-$node; else ns=ht-$pod; fi
    name="cap-${file%.pcap}"
    spawn "$name" "$ns" tcpdump -Z root --immediate-mode -U -n -s 256 -i "$iface" -w "$dir/$file"
  done < <(hops)
  for i in $(seq 1 100); do
    local ready=1
    while read -r node pod iface role file; do
      grep -q 'listening on' "$RUN_DIR/cap-${file%.pcap}.log" 2>/dev/null || ready=0
    done < <(hops)
    ((ready)) && break
    sleep 0.1
  done
  ((ready)) || die "tcpdump did not start on every hop (see $RUN_DIR/cap-*.log)"
  log "capturing on $(hops | wc -l) hops"
}

stop_captures() {
  local f pid
  for f in "$RUN_DIR"/pids/cap-*.pid; do
    [[ -e "$f" ]] || continue
    pid=$(<"$f")
    kill -INT "$pid" 2>/dev/null || true
  done
  for f in "$RUN_DIR"/pids/cap-*.pid; do
    [[ -e "$f" ]] || continue
    pid=$(<"$f")
    wait "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

write_manifest() { # write_manifest DIR
  local dir="$1" n ns nodes hops_json mtu
  nodes=$(for n in "${NODES[@]}"; do
    ns=$(node_ns "$n")
    local devs=(flannel.1) cidrs=("${N_CIDR[$n]}") d vteps
    if dual; then devs+=(flannel-v6.1) cidrs+=("${N_CIDR6[$n]}"); fi
    vteps=$(for d in "${devs[@]}"; do
      jq -n --arg dev "$d" \
        --argjson vx "$(ip -n "$ns" -d -j link show "$d" | jq '.[0].linkinfo.info_data')" \
        --argjson fdb "$(bridge -n "$ns" -j fdb show dev "$d" | jq '[.[] | select(.dst != null and .mac != "00:00:00:00:00:00") | {mac, dst}]')" \
        '{device:$dev, vni:$vx.id, local:($vx.local // $vx.local6), port:$vx.port, fdb:$fdb}'
    done | jq -s .)
    jq -n --arg name "node-$n" --arg cidr "${N_CIDR[$n]}" --argjson cidrs "$(printf '%s\n' "${cidrs[@]}" | jq -R . | jq -s .)" \
      --argjson addrs "$(ip -n "$ns" -j addr show dev ens33 | jq '[.[0].addr_info[] | select(.scope == "global") | .local]')" \
      --argjson vteps "$vteps" \
      '{name:$name, addresses:$addrs, podCidr:$cidr} + (if ($cidrs | length) > 1 then {podCidrs:$cidrs} else {} end)
        + {vteps:$vteps}'
  done | jq -s .)
  hops_json=$(hops | while read -r node pod iface role file; do
    # the interface's MTU as the scenario left it (the node inventory's MTUs: path MTU)
    if [[ $pod == "-" ]]; then ns=$(node_ns "${node#node-}"); else ns=$(pod_ns "${pod#pod-}"); fi
    mtu=$(ip -n "$ns" -j link show dev "$iface" 2>/dev/null | jq '.[0].mtu // -1')
    jq -n --arg node "$node" --arg pod "$pod" --arg iface "$iface" --arg role "$role" --arg file "$file" \
      --argjson mtu "${mtu:--1}" \
      '{node:$node} + (if $pod == "-" then {} else {pod:$pod} end) + {iface:$iface, role:$role, file:$file}
        + (if $mtu > 0 then {mtu:$mtu} else {} end)'
  done | jq -s .)
  jq -n --argjson nodes "$nodes" --argjson hops "$hops_json" '{nodes:$nodes, hops:$hops}' >"$dir/manifest.json"
}

cmd_record() {
  local s="$1" dir="$2"
  check_scenario "$s"
  ensure_up "$s"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  rm -f "$dir"/*.pcap "$dir/manifest.json" "$dir/truth.json"
  revert_fault
  stop_servers
  start_captures "$dir"
  RECORD_DIR="$dir"
  run_scenario "$s" record_snapshot
  truth_json "$s" >"$dir/truth.json"
  local f size count total=0
  while read -r _ _ _ _ f; do
    size=$(stat -c %s "$dir/$f")
    count=$(tcpdump -nn -r "$dir/$f" 2>/dev/null | grep -c "^[0-9]" || true)
    total=$((total + count))
    printf '  %-32s %6d packets %8d bytes\n' "$f" "$count" "$size"
    ((size <= 102400)) || log "warning: $f is larger than 100 KB"
  done < <(hops)
  log "recorded $s into $dir ($total packets; manifest.json, truth.json)"
}
record_snapshot() { write_manifest "$RECORD_DIR"; }

# --- main -----------------------------------------------------------------------------------

main() {
  (($# > 0)) || usage
  local cmd="$1"
  shift
  local args=()
  while (($# > 0)); do
    case "$1" in
      --variant)
        [[ $# -ge 2 ]] || die "--variant needs a value"
        VARIANT="$2"
        shift 2
        ;;
      --variant=*)
        VARIANT="${1#--variant=}"
        shift
        ;;
      --dual-stack)
        UP_STACK=dual
        shift
        ;;
      -h | --help) usage ;;
      *)
        args+=("$1")
        shift
        ;;
    esac
  done
  case "$cmd" in
    list) cmd_list ;;
    -h | --help | help) usage ;;
    status)
      need_root
      cmd_status
      ;;
    up | down | scenario | record)
      need_root
      need_tools
      lock "$cmd"
      # a failing or interrupted scenario/record never leaves captures, servers or a fault behind
      trap 'stop_captures; stop_servers; revert_fault' EXIT
      trap 'exit 130' INT TERM
      case "$cmd" in
        up) cmd_up "${UP_STACK:-single}" ;;
        down) cmd_down ;;
        scenario)
          ((${#args[@]} == 1)) || die "usage: lab.sh scenario NAME [--variant V]"
          cmd_scenario "${args[0]}"
          ;;
        record)
          ((${#args[@]} == 2)) || die "usage: lab.sh record NAME DIR [--variant V]"
          cmd_record "${args[0]}" "${args[1]}"
          ;;
      esac
      ;;
    *) die "unknown command '$cmd' (up | down | status | list | scenario NAME | record NAME DIR)" ;;
  esac
}

main "$@"
