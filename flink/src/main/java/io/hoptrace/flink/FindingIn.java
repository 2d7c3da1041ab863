package io.hoptrace.flink;

/** A finding of stage 1 on its way to stage 2: its subject key and its encoded form. */
public final class FindingIn {
  /** The alert subject ({@link io.hoptrace.detect.Finding#key()}): stage 2's key. */
  public String key;

  /** The finding, encoded with {@link io.hoptrace.detect.Codecs#finding()}. */
  public byte[] finding;

  public FindingIn() {}

  public FindingIn(String key, byte[] finding) {
    this.key = key;
    this.finding = finding;
  }
}
