/**
 * Which partition key a packet summary is published under, so that every tuple of one NAT-ed
 * conversation lands on one partition of the packets topic and per-conversation detection never
 * needs another partition's state (docs/detection.md, "NAT linking across partitions").
 */
package io.hoptrace.route;
