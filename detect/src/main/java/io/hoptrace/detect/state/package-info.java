/**
 * Host-provided state: the store interface the detection core keeps its state in, and compact byte
 * codecs for every state type so engines (Kafka Streams stores, Flink state) can hold it.
 */
package io.hoptrace.detect.state;
