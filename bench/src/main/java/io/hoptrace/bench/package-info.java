/** JMH benchmarks. */
package io.hoptrace.bench;
