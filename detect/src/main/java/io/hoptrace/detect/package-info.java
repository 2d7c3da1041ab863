/** Detection core: plain Java, no engine types, hosted by Kafka Streams and Flink alike. */
package io.hoptrace.detect;
