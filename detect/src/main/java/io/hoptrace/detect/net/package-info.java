/** Addresses, prefixes and canonical flow keys, without name resolution. */
package io.hoptrace.detect.net;
