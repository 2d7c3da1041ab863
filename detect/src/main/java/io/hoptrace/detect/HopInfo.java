package io.hoptrace.detect;

import io.hoptrace.schema.InterfaceRole;

/** A hop some sensor has reported packets from (the registry of hops that have a sensor). */
public record HopInfo(String hop, String node, String pod, InterfaceRole role) {}
