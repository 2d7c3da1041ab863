/**
 * Packet decoding: one flyweight per protocol layer over a buffer, reused for every packet, no
 * allocation on the hot path. Bad bytes give a {@code DecodeStatus}, never an exception.
 */
package io.hoptrace.decode;
