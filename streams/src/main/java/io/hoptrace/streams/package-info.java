/** Kafka Streams host of the detection core: topology, processors, store adapters. */
package io.hoptrace.streams;
