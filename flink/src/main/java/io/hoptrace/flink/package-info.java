/** The Apache Flink host of the detection core. */
package io.hoptrace.flink;
