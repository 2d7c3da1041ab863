/** A real single-node KRaft Kafka broker, started in-process. */
package io.hoptrace.embedded;
