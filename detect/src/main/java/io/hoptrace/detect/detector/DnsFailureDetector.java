package io.hoptrace.detect.detector;

import io.hoptrace.contract.IpProto;
import io.hoptrace.detect.Alerts;
import io.hoptrace.detect.Conversation;
import io.hoptrace.detect.DetectionConfig;
import io.hoptrace.detect.Finding;
import io.hoptrace.detect.Setting;
import io.hoptrace.detect.TupleInfo;
import io.hoptrace.detect.state.StateIn;
import io.hoptrace.detect.state.StateOut;
import io.hoptrace.schema.Alert;
import io.hoptrace.schema.AlertStatus;
import io.hoptrace.schema.AlertSubject;
import io.hoptrace.schema.AlertType;
import io.hoptrace.schema.DnsInfo;
import io.hoptrace.schema.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DNS_FAILURE: decoded DNS queries answered SERVFAIL/REFUSED or unanswered for {@code
 * dns.timeout.ms} are events of their resolver; stage 2 fires from {@code dns.min.failures} in
 * {@code dns.window.ms}. The slice holds the conversation's recent queries.
 */
public final class DnsFailureDetector extends BaseDetector<DnsFailureDetector.State> {
  public static final Setting<Long> TIMEOUT_MS =
      Setting.ms("dns.timeout.ms", 2_000, "A DNS query without answer for this long failed.");
  public static final Setting<Long> WINDOW_MS =
      Setting.ms("dns.window.ms", 10_000, "Window of DNS_FAILURE.");
  public static final Setting<Long> MIN_FAILURES =
      Setting.count(
          "dns.min.failures",
          3,
          "Unanswered, SERVFAIL or REFUSED queries to one resolver in the window.");

  static final AlertSpec ALERT =
      new AlertSpec(
          AlertType.DNS_FAILURE,
          Severity.WARNING,
          AlertSpec.Stage2.EVENTS_IN_WINDOW,
          WINDOW_MS,
          MIN_FAILURES,
          "a resolver fails or does not answer queries");
  static final Detectors.Registration REGISTRATION =
      new Detectors.Registration(
          ALERT, List.of(TIMEOUT_MS, WINDOW_MS, MIN_FAILURES), DnsFailureDetector::new);

  private static final int MAX_QUERIES = 64;

  /** The slice: the conversation's recent DNS queries (pending, answered, failed). */
  public static final class State {
    public final List<DnsQuery> queries = new ArrayList<>();
  }

  private static final SliceCodec<State> CODEC =
      new SliceCodec<>() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public void write(StateOut out, State s) {
          out.w.varInt(s.queries.size());
          for (DnsQuery q : s.queries) {
            out.w.varInt(q.id);
            out.ts(q.ts);
            out.w.u8(q.state);
          }
        }

        @Override
        public void read(StateIn in, int version, State s) {
          readQueries(in, s);
        }
      };

  /** Reads the query list (slice version 1, and conversation formats 1 and 2). */
  public static void readQueries(StateIn in, State s) {
    int n = in.r.count();
    for (int i = 0; i < n; i++) {
      int id = in.r.varInt();
      long ts = in.ts();
      s.queries.add(new DnsQuery(id, ts, in.r.u8()));
    }
  }

  private final long timeoutNs;
  private final long windowNs;

  public DnsFailureDetector(DetectionConfig cfg) {
    super(ALERT, REGISTRATION, 6, Set.of());
    this.timeoutNs = cfg.nanos(TIMEOUT_MS);
    this.windowNs = cfg.nanos(WINDOW_MS);
  }

  @Override
  public State newState() {
    return new State();
  }

  @Override
  public SliceCodec<State> codec() {
    return CODEC;
  }

  @Override
  public long drainNanos() {
    return windowNs;
  }

  @Override
  public void absorb(State keep, State gone) {
    keep.queries.addAll(gone.queries);
  }

  @Override
  public void onPacket(DetectorContext ctx, Conversation c, PacketView p, State s) {
    DnsInfo dns = p.packet.getDns();
    if (dns == null || p.proto != IpProto.UDP || (p.sport != 53 && p.dport != 53)) {
      return;
    }
    DnsQuery q = null;
    for (DnsQuery x : s.queries) {
      if (x.id == dns.getId()) {
        q = x;
        break;
      }
    }
    String resolver = p.sport == 53 ? p.src : p.dst;
    String client = p.sport == 53 ? p.dst : p.src;
    if (!dns.getQr()) {
      if (q == null) {
        s.queries.add(new DnsQuery(dns.getId(), p.ts, DnsQuery.PENDING));
        trim(s);
      }
      return;
    }
    int rcode = dns.getRcode();
    boolean error = rcode == 2 || rcode == 5;
    if (q == null) {
      s.queries.add(new DnsQuery(dns.getId(), p.ts, error ? DnsQuery.FAILED : DnsQuery.ANSWERED));
      trim(s);
    } else if (q.state == DnsQuery.PENDING) {
      q.state = error ? DnsQuery.FAILED : DnsQuery.ANSWERED;
    } else {
      return; // the same answer seen on another hop
    }
    if (error) {
      finding(ctx, c, resolver, client, rcode == 2 ? "servfail" : "refused", p.ts);
    }
  }

  private static void trim(State s) {
    while (s.queries.size() > MAX_QUERIES) {
      int victim = 0;
      for (int i = 0; i < s.queries.size(); i++) {
        if (s.queries.get(i).state != DnsQuery.PENDING) {
          victim = i;
          break;
        }
      }
      s.queries.remove(victim);
    }
  }

  @Override
  public long nextDeadline(DetectorContext ctx, Conversation c, State s, long t) {
    long dl = Long.MAX_VALUE;
    for (DnsQuery q : s.queries) {
      if (q.state == DnsQuery.PENDING) {
        dl = Math.min(dl, q.ts + timeoutNs);
      }
    }
    return dl;
  }

  @Override
  public void evaluate(DetectorContext ctx, Conversation c, State s, long t0, boolean fin) {
    if (s.queries.isEmpty()) {
      return;
    }
    long t = fin ? Math.max(t0, c.lastSeen + timeoutNs) : t0;
    TupleInfo first = c.first();
    String resolver = first.dport == 53 ? first.dst : first.src;
    String client = first.dport == 53 ? first.src : first.dst;
    for (DnsQuery q : s.queries) {
      if (q.state == DnsQuery.PENDING && t - q.ts >= timeoutNs) {
        q.state = DnsQuery.FAILED;
        finding(ctx, c, resolver, client, "unanswered", q.ts + timeoutNs);
      }
    }
    s.queries.removeIf(q -> q.state != DnsQuery.PENDING && t - q.ts > windowNs);
  }

  private static void finding(
      DetectorContext ctx, Conversation c, String resolver, String client, String what, long ts) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(what, 1L);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("resolver", resolver);
    facts.put("client", client);
    facts.put("failure", what);
    AlertSubject subject =
        AlertSubject.newBuilder()
            .setKind("RESOLVER")
            .setDst(resolver)
            .setProto(IpProto.UDP)
            .setDport(53)
            .build();
    Alert a =
        Alerts.build(
            AlertType.DNS_FAILURE,
            AlertStatus.FIRING,
            subject,
            null,
            1,
            "",
            ts,
            ts,
            List.of(),
            List.of(),
            counts,
            facts,
            Alerts.communityIds(c));
    ctx.out().finding(new Finding("DNS|" + resolver, Finding.Kind.EVENT, client, a));
  }
}
