package io.hoptrace.streams;

import io.hoptrace.detect.Finding;
import io.hoptrace.schema.FlowRecord;

/** What the per-flow stage forwards: a flow record or a finding for the alert stage. */
record StageOne(FlowRecord flow, Finding finding) {}
