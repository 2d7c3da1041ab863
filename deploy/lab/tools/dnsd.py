#!/usr/bin/env python3
"""Tiny UDP DNS responder for the hoptrace lab.

  dnsd.py --mode servfail  answers every query with RCODE 2 (SERVFAIL), question echoed
  dnsd.py --mode silent    reads every query and never answers (the port stays bound, so the
                           kernel sends no ICMP port unreachable: the query simply gets no answer)

Standard library only. Stops by itself after --lifetime seconds.
"""
import argparse
import socket
import struct
import time


def servfail(query: bytes) -> bytes:
    if len(query) < 12:
        return b""
    qid, flags, qdcount = struct.unpack("!HHH", query[:6])
    rd = flags & 0x0100
    # QR=1, opcode copied, RD copied, RA=1, RCODE=2 (SERVFAIL)
    out_flags = 0x8000 | (flags & 0x7800) | rd | 0x0080 | 0x0002
    question = query[12:] if qdcount else b""
    # drop any additional (EDNS OPT) records: keep only the first question
    end = 0
    if qdcount:
        while end < len(question) and question[end] != 0:
            end += question[end] + 1
        question = question[: end + 5]
    return struct.pack("!HHHHHH", qid, out_flags, 1 if qdcount else 0, 0, 0, 0) + question


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["servfail", "silent"], required=True)
    p.add_argument("--addr", default="0.0.0.0")
    p.add_argument("--port", type=int, default=53)
    p.add_argument("--lifetime", type=float, default=120.0)
    a = p.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    deadline = time.monotonic() + a.lifetime
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            data, peer = s.recvfrom(4096)
        except socket.timeout:
            return
        if a.mode == "servfail":
            reply = servfail(data)
            if reply:
                s.sendto(reply, peer)


if __name__ == "__main__":
    main()
