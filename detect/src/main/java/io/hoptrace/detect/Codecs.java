package io.hoptrace.detect;

import io.hoptrace.detect.state.ByteReader;
import io.hoptrace.detect.state.ByteWriter;
import io.hoptrace.detect.state.Codec;
import io.hoptrace.schema.AvroCodec;
import io.hoptrace.schema.Incident;

/**
 * Byte codecs of every state and message type of the core, for host stores and topics. Enums are
 * written as their {@link StateCodes} codes, which equal the ordinals written before, so existing
 * state decodes identically.
 */
public final class Codecs {
  private static final Codec<Conversation> CONVERSATION = new ConversationCodec();
  private static final Codec<Aggregate> AGGREGATE = new AggregateCodec();

  private static final Codec<Finding> FINDING =
      new Codec<>() {
        @Override
        public byte[] encode(Finding f) {
          ByteWriter w = new ByteWriter(256);
          w.u8(3).str(f.key()).u8(StateCodes.kind(f.kind())).str(f.member());
          AlertCodec.write(w, f.alert());
          w.varLong(f.asOf()).varLong(f.seq());
          return w.toBytes();
        }

        @Override
        public Finding decode(byte[] bytes) {
          ByteReader r = new ByteReader(bytes);
          int version = r.u8();
          if (version < 1 || version > 3) {
            throw new IllegalStateException("unknown finding version " + version);
          }
          String key = r.str();
          Finding.Kind kind = StateCodes.kind(r.u8());
          String member = r.str();
          // version 3: the alert carries its drop reason
          Finding f = new Finding(key, kind, member, AlertCodec.read(r, version >= 3));
          // version 1 has no stamp: made at its alert's last-seen time
          return version == 1 ? f : f.stamped(r.varLong(), r.varLong());
        }
      };

  private static final Codec<FingerprintEntry> FINGERPRINT =
      new Codec<>() {
        @Override
        public byte[] encode(FingerprintEntry e) {
          return new ByteWriter(64)
              .str(e.flowKey())
              .str(e.node())
              .varLong(e.ts())
              .bool(e.aToB())
              .toBytes();
        }

        @Override
        public FingerprintEntry decode(byte[] bytes) {
          ByteReader r = new ByteReader(bytes);
          return new FingerprintEntry(r.str(), r.str(), r.varLong(), r.bool());
        }
      };

  private static final Codec<HopInfo> HOP =
      new Codec<>() {
        @Override
        public byte[] encode(HopInfo h) {
          return new ByteWriter(48)
              .str(h.hop())
              .str(h.node())
              .str(h.pod())
              .u8(StateCodes.role(h.role()))
              .toBytes();
        }

        @Override
        public HopInfo decode(byte[] bytes) {
          ByteReader r = new ByteReader(bytes);
          return new HopInfo(r.str(), r.str(), r.str(), StateCodes.role(r.u8()));
        }
      };

  private static final Codec<String> STRING =
      new Codec<>() {
        @Override
        public byte[] encode(String s) {
          return new ByteWriter(s.length() + 2).str(s).toBytes();
        }

        @Override
        public String decode(byte[] bytes) {
          return new ByteReader(bytes).str();
        }
      };

  private static final Codec<Long> LONG =
      new Codec<>() {
        @Override
        public byte[] encode(Long v) {
          return new ByteWriter(10).varLong(v).toBytes();
        }

        @Override
        public Long decode(byte[] bytes) {
          return new ByteReader(bytes).varLong();
        }
      };

  private Codecs() {}

  public static Codec<Conversation> conversation() {
    return CONVERSATION;
  }

  public static Codec<Aggregate> aggregate() {
    return AGGREGATE;
  }

  public static Codec<Finding> finding() {
    return FINDING;
  }

  public static Codec<FingerprintEntry> fingerprintEntry() {
    return FINGERPRINT;
  }

  public static Codec<HopInfo> hopInfo() {
    return HOP;
  }

  public static Codec<String> string() {
    return STRING;
  }

  public static Codec<Long> longValue() {
    return LONG;
  }

  /**
   * Incidents (stage 3) in Avro's single-object encoding: the record as the incidents topic holds
   * it, its schema history read like the topic's.
   */
  public static Codec<Incident> incident() {
    return INCIDENT;
  }

  private static final Codec<Incident> INCIDENT =
      new Codec<>() {
        private final AvroCodec<Incident> avro = AvroCodec.of(Incident.class);

        @Override
        public byte[] encode(Incident value) {
          return avro.encode(value);
        }

        @Override
        public Incident decode(byte[] bytes) {
          return avro.decode(bytes);
        }
      };
}
