/**
 * The contracts sensor and detection share, each defined once: {@link io.hoptrace.contract.FlowKey}
 * (canonical flow key, direction and its string form, the Kafka key and conversation key), {@link
 * io.hoptrace.contract.HopId} (the {@code node[/pod]/iface} hop id), {@link
 * io.hoptrace.contract.IpProto} (IP protocol numbers and names) and {@link
 * io.hoptrace.contract.IpText} (address text and ordering). Plain Java: no Kafka, no engine, so the
 * engine-free detection core can use them.
 */
package io.hoptrace.contract;
