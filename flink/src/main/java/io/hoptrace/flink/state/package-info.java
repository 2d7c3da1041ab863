/**
 * The core's state ports ({@link io.hoptrace.detect.state.StateStore}) over Flink state: keyed
 * {@code MapState} for what belongs to one routing key or alert subject, checkpointed subtask state
 * for what the core keeps per task, and serializers that write state values with the core's codecs.
 */
package io.hoptrace.flink.state;
