package io.hoptrace.detect;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.contract.IpProto;
import io.hoptrace.schema.FiveTuple;

/** One 5-tuple of a conversation, oriented initiator to responder. */
public final class TupleInfo {
  public String key;
  public int ipVersion;
  public int proto;
  public String src;
  public int sport;
  public String dst;
  public int dport;
  public long firstSeen;
  public String communityId;

  /** Whether the initiator is the orientation was decided from a clear signal (SYN, echo). */
  public boolean certain;

  public void flip() {
    String a = src;
    src = dst;
    dst = a;
    int p = sport;
    sport = dport;
    dport = p;
  }

  /** 0 when a packet from (s, sp) goes initiator to responder, else 1. */
  public int dirOf(String s, int sp) {
    return s.equals(src) && sp == sport ? 0 : 1;
  }

  public boolean initiatorIsA() {
    return FlowKey.isAtoB(src, sport, dst, dport);
  }

  public FiveTuple toFiveTuple() {
    return FiveTuple.newBuilder()
        .setIpVersion(ipVersion)
        .setSrc(src)
        .setDst(dst)
        .setProto(proto)
        .setSport(sport)
        .setDport(dport)
        .build();
  }

  public String text() {
    return IpProto.nameOrNumber(proto)
        + " "
        + src
        + (sport >= 0 ? ":" + sport : "")
        + " -> "
        + dst
        + (dport >= 0 ? ":" + dport : "");
  }
}
