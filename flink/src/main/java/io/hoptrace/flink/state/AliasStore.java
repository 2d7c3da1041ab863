package io.hoptrace.flink.state;

import io.hoptrace.detect.state.StateStore;
import java.util.function.BiConsumer;

/**
 * The core's aliases store in Flink: flow-key aliases belong to their routing key (keyed state);
 * the core's bookkeeping entries (keys starting with {@code #}, e.g. the inventory audit's last
 * findings) are per task, so they go to the subtask's own store, which is readable without a
 * current key (the inventory is audited when a broadcast update arrives).
 */
public final class AliasStore implements StateStore<String, String> {
  private final StateStore<String, String> keyed;
  private final StateStore<String, String> subtask;

  public AliasStore(StateStore<String, String> keyed, StateStore<String, String> subtask) {
    this.keyed = keyed;
    this.subtask = subtask;
  }

  private StateStore<String, String> of(String key) {
    return key.startsWith("#") ? subtask : keyed;
  }

  @Override
  public String get(String key) {
    return of(key).get(key);
  }

  @Override
  public void put(String key, String value) {
    of(key).put(key, value);
  }

  @Override
  public void delete(String key) {
    of(key).delete(key);
  }

  @Override
  public void forEach(BiConsumer<String, String> visitor) {
    subtask.forEach(visitor);
    keyed.forEach(visitor);
  }
}
