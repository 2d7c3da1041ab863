package io.hoptrace.detect;

import io.hoptrace.contract.FlowKey;
import io.hoptrace.detect.detector.IcmpErrorView;
import io.hoptrace.detect.net.Ip;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The core's intake of ICMP/ICMPv6 errors: an error belongs to the conversation of the packet it
 * quotes (a conversation is made for it when none exists: the error may be all there is of it), the
 * same error captured on several hops counts once (its fingerprint among the last few), and a port
 * unreachable marks the conversation rejected, any other error but "too big" unreachable.
 */
final class IcmpErrorIntake {
  private final Function<String, Conversation> load;
  private final Consumer<String> count;
  private final IcmpErrorView view = new IcmpErrorView();

  IcmpErrorIntake(Function<String, Conversation> load, Consumer<String> count) {
    this.load = load;
    this.count = count;
  }

  /**
   * Accounts one ICMP error captured on {@code hop}; returns the view for the detectors (its
   * conversation in {@code c[0]}), or null when it is skipped (no quoted packet, or a duplicate:
   * counted).
   */
  IcmpErrorView apply(PacketSummary p, IcmpInfo icmp, String hop, Conversation[] c) {
    FiveTuple q = FlowKey.quotedFlow(icmp);
    if (q == null) {
      count.accept("skipped.ICMP_WITHOUT_QUOTE");
      return null;
    }
    long ts = p.getTsNanos();
    String qsrc = Ip.canonical(q.getSrc());
    String qdst = Ip.canonical(q.getDst());
    String key = FlowKey.key(q.getProto(), qsrc, q.getSport(), qdst, q.getDport());
    Conversation conv = load.apply(key);
    if (conv == null) {
      conv = RequestTracker.quotedConversation(q, key, qsrc, qdst, ts);
      count.accept("conversations");
    }
    long fp =
        p.getFingerprint() != 0
            ? p.getFingerprint()
            : Arrays.hashCode(new long[] {ts / 1_000_000L, icmp.getType(), icmp.getCode()});
    if (!conv.icmpError(fp, ts)) {
      count.accept("duplicates");
      return null;
    }
    int v = p.getIpVersion();
    int type = icmp.getType();
    int code = icmp.getCode();
    boolean portUnreach = (v == 4 && type == 3 && code == 3) || (v == 6 && type == 1 && code == 4);
    boolean tooBig = (v == 4 && type == 3 && code == 4) || (v == 6 && type == 2);
    if (portUnreach) {
      conv.rejected = true;
      conv.rejectReason = "ICMP port unreachable";
    } else if (!tooBig) {
      conv.unreachable = true;
    }
    IcmpErrorView e = view;
    e.packet = p;
    e.icmp = icmp;
    e.quoted = q;
    e.key = key;
    e.quotedSrc = qsrc;
    e.quotedDst = qdst;
    e.hop = hop;
    e.reporter = Ip.canonical(p.getSrc());
    e.ts = ts;
    e.portUnreachable = portUnreach;
    e.tooBig = tooBig;
    c[0] = conv;
    return e;
  }
}
