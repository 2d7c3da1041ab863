package io.hoptrace.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hoptrace.contract.HopId;
import io.hoptrace.schema.DnsInfo;
import io.hoptrace.schema.EncapLayer;
import io.hoptrace.schema.FiveTuple;
import io.hoptrace.schema.IcmpInfo;
import io.hoptrace.schema.PacketSummary;
import io.hoptrace.schema.TcpInfo;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes {@link PacketSummary} records as JSON lines (the {@code hoptrace decode} output). Keys:
 * {@code ts} (ns), {@code status}, {@code src}, {@code dst}, {@code proto} (IANA), {@code sport},
 * {@code dport}, {@code tcpFlags}, {@code seq}, {@code ack}, {@code icmpType}, {@code icmpCode},
 * {@code vlan} (list), {@code encap} (list, outermost first), {@code communityId}, {@code
 * fingerprint}, and the remaining summary fields. Absent values are {@code null}.
 */
final class SummaryJson implements AutoCloseable {

  private final JsonGenerator json;

  SummaryJson(Writer out) throws IOException {
    json = new JsonFactory().createGenerator(out);
    json.setRootValueSeparator(null);
  }

  void write(PacketSummary s) throws IOException {
    json.writeStartObject();
    json.writeNumberField("ts", s.getTsNanos());
    json.writeStringField("status", s.getStatus());
    json.writeStringField("hop", HopId.format(s.getNode(), s.getPod(), s.getIface()));
    json.writeNumberField("len", s.getWireLength());
    json.writeNumberField("caplen", s.getCapturedLength());
    if (s.getDirection() != null && !"UNKNOWN".equals(s.getDirection().name())) {
      json.writeStringField("direction", s.getDirection().name());
    }
    if (s.getIfIndex() >= 0) {
      json.writeNumberField("ifIndex", s.getIfIndex());
    }
    json.writeArrayFieldStart("vlan");
    for (Integer v : s.getVlans()) {
      json.writeNumber(v);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("encap");
    for (EncapLayer e : s.getEncap()) {
      json.writeStartObject();
      json.writeStringField("type", e.getType().name());
      json.writeStringField("outerSrc", e.getOuterSrc());
      json.writeStringField("outerDst", e.getOuterDst());
      optNumber("outerSport", e.getOuterSport());
      optNumber("outerDport", e.getOuterDport());
      optNumber("vni", e.getVni());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeNumberField("ipVersion", s.getIpVersion());
    json.writeStringField("src", s.getSrc());
    json.writeStringField("dst", s.getDst());
    optNumber("proto", s.getProto());
    optNumber("sport", s.getSport());
    optNumber("dport", s.getDport());
    optNumber("ttl", s.getTtl());
    optNumber("ipId", s.getIpId());
    optNumber("ipLength", s.getIpLength());
    optNumber("payloadLength", s.getPayloadLength());
    if (s.getDf() || s.getMf() || s.getFragOffset() > 0) {
      json.writeBooleanField("df", s.getDf());
      json.writeBooleanField("mf", s.getMf());
      json.writeNumberField("fragOffset", s.getFragOffset());
    }
    TcpInfo tcp = s.getTcp();
    if (tcp != null) {
      json.writeNumberField("tcpFlags", tcp.getFlags());
      json.writeNumberField("seq", tcp.getSeq());
      json.writeNumberField("ack", tcp.getAck());
      json.writeNumberField("window", tcp.getWindow());
      optNumber("mss", tcp.getMss());
      optNumber("wscale", tcp.getWscale());
    } else {
      json.writeNullField("tcpFlags");
      json.writeNullField("seq");
      json.writeNullField("ack");
    }
    IcmpInfo icmp = s.getIcmp();
    if (icmp != null) {
      json.writeNumberField("icmpType", icmp.getType());
      json.writeNumberField("icmpCode", icmp.getCode());
      optNumber("icmpId", icmp.getId());
      optNumber("icmpSeq", icmp.getSeq());
      optNumber("mtu", icmp.getMtu());
      tuple("quoted", icmp.getQuoted());
      tuple("quotedInner", icmp.getQuotedInner());
    } else {
      json.writeNullField("icmpType");
      json.writeNullField("icmpCode");
    }
    DnsInfo dns = s.getDns();
    if (dns != null) {
      json.writeObjectFieldStart("dns");
      json.writeNumberField("id", dns.getId());
      json.writeBooleanField("qr", dns.getQr());
      json.writeNumberField("opcode", dns.getOpcode());
      json.writeNumberField("rcode", dns.getRcode());
      json.writeEndObject();
    }
    json.writeStringField("flowKey", s.getFlowKey());
    json.writeStringField(
        "flowDirection", s.getFlowKey() == null ? null : s.getFlowDirection().name());
    json.writeStringField("communityId", s.getCommunityId());
    json.writeStringField("fingerprint", Long.toHexString(s.getFingerprint()));
    json.writeEndObject();
    json.writeRaw('\n');
  }

  private void tuple(String name, FiveTuple t) throws IOException {
    if (t == null) {
      return;
    }
    json.writeObjectFieldStart(name);
    json.writeStringField("src", t.getSrc());
    json.writeStringField("dst", t.getDst());
    json.writeNumberField("proto", t.getProto());
    optNumber("sport", t.getSport());
    optNumber("dport", t.getDport());
    json.writeEndObject();
  }

  private void optNumber(String name, long value) throws IOException {
    if (value < 0) {
      json.writeNullField(name);
    } else {
      json.writeNumberField(name, value);
    }
  }

  void flush() throws IOException {
    json.flush();
  }

  @Override
  public void close() throws IOException {
    json.flush();
  }
}
