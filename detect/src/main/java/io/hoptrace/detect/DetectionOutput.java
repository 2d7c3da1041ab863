package io.hoptrace.detect;

import io.hoptrace.schema.FlowRecord;

/** Where stage 1 sends its results; the host forwards them to its topics / streams. */
public interface DetectionOutput {
  void flow(FlowRecord record);

  void finding(Finding finding);
}
