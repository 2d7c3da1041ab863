package io.hoptrace.detect;

import io.hoptrace.detect.state.InMemoryStateStore;
import io.hoptrace.detect.state.StateStore;

/**
 * The stores stage 1 keeps its state in.
 *
 * @param conversations conversation id to conversation
 * @param aliases flow key to conversation id, for flow keys linked into another conversation (NAT);
 *     also a few bookkeeping entries under keys starting with {@code #}
 * @param fingerprints recent packet fingerprints (NAT linking)
 * @param deadlines conversation id to the event time it next needs attention, indexed by that time
 * @param hops hop id to hop: the hops sensors have reported packets from
 */
public record FlowStores(
    StateStore<String, Conversation> conversations,
    StateStore<String, String> aliases,
    StateStore<Long, FingerprintEntry> fingerprints,
    Deadlines deadlines,
    StateStore<String, HopInfo> hops) {

  /**
   * In-memory stores holding the values themselves, as a host's cache of decoded values does
   * between two commits (the Kafka Streams job's {@code ObjectCachingStore}); for benchmarks of the
   * detection logic alone.
   */
  public static FlowStores inMemoryObjects() {
    return new FlowStores(
        new InMemoryStateStore<>(),
        new InMemoryStateStore<>(),
        new InMemoryStateStore<>(),
        new Deadlines(new InMemoryStateStore<>()),
        new InMemoryStateStore<>());
  }

  /** In-memory stores that round-trip every value through its codec, as the engines do. */
  public static FlowStores inMemory() {
    return new FlowStores(
        new InMemoryStateStore<>(Codecs.conversation()),
        new InMemoryStateStore<>(Codecs.string()),
        new InMemoryStateStore<>(Codecs.fingerprintEntry()),
        new Deadlines(new InMemoryStateStore<>(Codecs.longValue())),
        new InMemoryStateStore<>(Codecs.hopInfo()));
  }
}
