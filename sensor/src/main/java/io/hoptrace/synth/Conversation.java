package io.hoptrace.synth;

/** A stream of IP packets between two hosts, produced one at a time. */
interface Conversation {

  /** One IP packet and its direction (client→server is forward). */
  record IpPacket(byte[] bytes, boolean forward) {}

  boolean done();

  IpPacket next();
}
