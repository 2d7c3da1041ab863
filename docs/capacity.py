#!/usr/bin/env python3
"""Capacity model of docs/capacity.md: prints its tables from the measured inputs below.

Every input names the section of docs/performance.md (or docs/detection.md) it comes from; the
ones marked ASSUMPTION were not measured. Regenerate the tables with

    python3 docs/capacity.py                 # the tables of docs/capacity.md
    python3 docs/capacity.py --hops 8        # another input (see --help)
    python3 docs/capacity.py --check         # docs/capacity.md holds the default tables
"""

import argparse
import math
import os
import sys

# --- measured inputs (2-core machine of docs/performance.md) -----------------------------------

RECORD_BYTES = 211  # §5: mean Avro value of a summary, 1 M packets of the mix (key not included)
REDUCED_BULK_RATIO = 0.0194  # §11: records per captured packet, bulk transfer (0.0181 no loss,
#                              0.0193-0.0194 with loss); the larger is used
SHORT_FLOW_RATIO = 1.0  # detection.md "Equivalence, measured": flows of <= 8 packets per
#                          direction and hop are sent whole (healthy 420 -> 420, lab 2 157 records)
STREAMS_THREAD_RATE = 34_497  # §7.5: detection job, records/s wall, one stream thread (load 0.3)
FLINK_SLOT_RATE = 22_610  # §10.1: Flink detection, records per CPU-second of a slot's threads
#                           (lowest of 3 runs of the current code; wall 10.8-14.6 k under load 7-11)
BROKER_RATE = 172_690  # §5: slowest run, replay into one embedded broker on the same 2 cores
SENSOR_FLOOR_US = {"full": 1.06, "reduced": 1.06 + 0.765}  # §5 read+decode+map+encode,
#                                                  §11 reducer: user-space work per captured packet
SENSOR_LIVE_US = (7.1, 10.3)  # §12: whole live sensor (libpcap, JVM, producer), CPU-s per
#                               captured packet, runs 2-4, 19-42 k packets/s, reduced mode

# --- assumptions (not measured) -------------------------------------------------------------------

HOPS = 10  # sightings of one inter-node pod packet: 5 hops on each node (lab path, §11/§8)
HEADROOM = 0.7  # ASSUMPTION: plan threads and slots at 70 % of the measured rate
MIXES = {  # ASSUMPTION: share of captured packets that belong to long (bulk) flows
    "bulk-heavy": 0.9,
    "short-flow-heavy": 0.1,
}
NODES = (10, 100, 1000)
POD_PPS = (5_000, 50_000)  # pod packets/s sent per node (each received on another node)


def ratio(bulk_share):
    """Records per captured packet in reduced mode for a mix of long and short flows."""
    return bulk_share * REDUCED_BULK_RATIO + (1 - bulk_share) * SHORT_FLOW_RATIO


def fmt(x):
    """Numbers as the docs write them: thin-space thousands, 3 significant digits below 10."""
    if isinstance(x, int) or x >= 100:
        return f"{x:,.0f}".replace(",", " ")
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(mode, rec_per_packet, args):
    per_thread = STREAMS_THREAD_RATE * args.headroom
    per_slot = FLINK_SLOT_RATE * args.headroom
    floor_us = SENSOR_FLOOR_US["full" if mode == "full" else "reduced"]
    lines = [
        "| nodes | pod pkts/s per node | captured pkts/s per node | records/s (cluster) "
        "| Kafka in, MB/s (cluster) | sent per node, MB/s | stream threads | Flink slots "
        "| partitions | ÷ §5 broker | sensor cores per node: floor / live |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n in NODES:
        for pps in POD_PPS:
            captured = pps * args.hops
            records = n * captured * rec_per_packet
            mbs = records * RECORD_BYTES / 1e6
            node_mbs = captured * rec_per_packet * RECORD_BYTES / 1e6
            threads = math.ceil(records / per_thread)
            slots = math.ceil(records / per_slot)
            partitions = max(threads, slots)
            floor = captured * floor_us / 1e6
            live = tuple(captured * us / 1e6 for us in SENSOR_LIVE_US)
            lines.append(
                f"| {fmt(n)} | {fmt(pps)} | {fmt(captured)} | {fmt(records)} | {fmt(mbs)} "
                f"| {fmt(node_mbs)} | {fmt(threads)} | {fmt(slots)} | {fmt(partitions)} "
                f"| {fmt(records / BROKER_RATE)} | {fmt(floor)} / {fmt(live[0])}–{fmt(live[1])} |"
            )
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hops", type=float, default=HOPS, help="sightings per pod packet (10)")
    p.add_argument("--headroom", type=float, default=HEADROOM, help="planned load (0.7)")
    p.add_argument("--check", action="store_true", help="compare with docs/capacity.md")
    args = p.parse_args()
    if not 0 < args.headroom <= 1 or args.hops <= 0:
        sys.exit("capacity.py: --headroom must be in (0, 1] and --hops above 0")
    if args.check:
        check(args)
        return
    for line in output(args):
        print(line)


def check(args):
    """Exits non-zero when a table line of the default output is missing from capacity.md."""
    if args.hops != HOPS or args.headroom != HEADROOM:
        sys.exit("capacity.py: --check compares the default tables; give no other input")
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "capacity.md")
    with open(doc, encoding="utf-8") as f:
        have = set(f.read().splitlines())
    lines = [line.rstrip("\n") for line in output(args)]
    missing = [x for x in lines if x.startswith(("|", "####")) and x not in have]
    if missing:
        sys.exit(f"capacity.py: {len(missing)} table lines differ from {doc}, e.g. {missing[0]}")
    print(f"{doc}: tables up to date")


def output(args):
    """The lines the script prints: a heading line, then one table per case."""
    out = []
    out.append(
        f"hops {args.hops:g}, headroom {args.headroom:g}: "
        f"{fmt(STREAMS_THREAD_RATE * args.headroom)} records/s per stream thread, "
        f"{fmt(FLINK_SLOT_RATE * args.headroom)} per Flink slot, {RECORD_BYTES} B per record\n"
    )
    cases = [("full", "full summaries", 1.0)]
    for name, share in MIXES.items():
        r = ratio(share)
        cases.append(
            ("reduced", f"reduced, {name} mix ({share * 100:.0f} % of packets in long flows)", r)
        )
    cases.append(("reduced", "reduced, long flows only (the bound)", REDUCED_BULK_RATIO))
    for mode, title, r in cases:
        out.append(f"#### {title}: {r:.4f} records per captured packet\n")
        out.extend(table(mode, r, args).splitlines())
        out.append("")
    return out


if __name__ == "__main__":
    main()
