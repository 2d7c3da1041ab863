/**
 * The packets that are an incident's evidence: which conversations an incident concerns ({@link
 * io.hoptrace.evidence.IncidentFlows}, from the detection's own records) and which captured packets
 * belong to them ({@link io.hoptrace.evidence.PacketSelection}, by the decoder's flow key), for the
 * one-pcapng-per-incident of {@code analyze --incident-pcaps} (docs/evidence.md).
 */
package io.hoptrace.evidence;
