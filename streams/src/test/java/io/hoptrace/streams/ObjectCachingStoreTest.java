package io.hoptrace.streams;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.hoptrace.detect.Codecs;
import io.hoptrace.detect.Conversation;
import io.hoptrace.lab.Lab;
import io.hoptrace.lab.TopologyHarness;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

class ObjectCachingStoreTest {
  private static final List<String> STAGE_ONE =
      List.of(
          DetectionTopology.CONVERSATIONS_STORE,
          DetectionTopology.ALIASES_STORE,
          DetectionTopology.HOPS_STORE);

  @Test
  void everyCommitLeavesTheCachedStateInTheStores() {
    Lab lab = new Lab();
    try (TopologyHarness h = new TopologyHarness()) {
      h.nodes(Lab.inventory());
      for (int i = 0; i < 5; i++) {
        h.send(
            lab.over(
                tcp(POD_A, 40100, POD_B, 80, i == 0 ? SYN : ACK, 100 + i, 0, i * 10),
                sec(i * 0.1),
                A_TO_B));
        // the driver commits after each record: nothing may be left only in the cache
        for (String name : STAGE_ONE) {
          ObjectCachingStore<?, ?> s = (ObjectCachingStore<?, ?>) h.driver().getStateStore(name);
          assertThat(s.unflushed()).as(name).isZero();
        }
      }
      @SuppressWarnings("unchecked")
      ObjectCachingStore<String, Conversation> convs =
          (ObjectCachingStore<String, Conversation>)
              h.driver().getStateStore(DetectionTopology.CONVERSATIONS_STORE);
      List<KeyValue<String, Conversation>> stored = new ArrayList<>();
      try (KeyValueIterator<String, Conversation> it = convs.wrapped().all()) {
        it.forEachRemaining(stored::add);
      }
      assertThat(stored).hasSize(1);
      for (KeyValue<String, Conversation> kv : stored) {
        assertThat(Codecs.conversation().encode(kv.value))
            .isEqualTo(Codecs.conversation().encode(convs.get(kv.key)));
      }
    }
  }
}
