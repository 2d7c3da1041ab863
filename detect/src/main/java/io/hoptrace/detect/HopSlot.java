package io.hoptrace.detect;

import io.hoptrace.schema.InterfaceRole;

/** One hop (interface) of a conversation under one of its 5-tuples, both directions. */
public final class HopSlot {
  public String hop;
  public String node;
  public String pod;
  public InterfaceRole role = InterfaceRole.ANY;
  public int tuple;
  public final HopDir[] dir = {new HopDir(), new HopDir()};

  HopSlot() {}

  HopSlot(String hop, String node, String pod, InterfaceRole role, int tuple) {
    this.hop = hop;
    this.node = node;
    this.pod = pod;
    this.role = role;
    this.tuple = tuple;
  }

  public void flip() {
    HopDir t = dir[0];
    dir[0] = dir[1];
    dir[1] = t;
  }

  public long firstTs(int d) {
    return dir[d].firstTs;
  }
}
