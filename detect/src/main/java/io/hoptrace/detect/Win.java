package io.hoptrace.detect;

/**
 * A count over a sliding window approximated by two tumbling buckets (previous + current): the sum
 * covers between one and two windows. Compact and deterministic.
 */
public final class Win {
  public long bucket = Long.MIN_VALUE;
  public long cur;
  public long prev;

  public void add(long ts, long windowNs, long n) {
    long b = Math.floorDiv(ts, windowNs);
    if (bucket == Long.MIN_VALUE || b > bucket + 1) {
      prev = 0;
      cur = n;
      bucket = b;
    } else if (b == bucket) {
      cur += n;
    } else if (b == bucket + 1) {
      prev = cur;
      cur = n;
      bucket = b;
    } else if (b == bucket - 1) {
      prev += n;
    }
  }

  public long sum(long now, long windowNs) {
    if (bucket == Long.MIN_VALUE) {
      return 0;
    }
    long b = Math.floorDiv(now, windowNs);
    if (b <= bucket) {
      return cur + prev;
    }
    if (b == bucket + 1) {
      return cur;
    }
    return 0;
  }

  public void merge(Win o) {
    if (o.bucket == Long.MIN_VALUE) {
      return;
    }
    if (bucket == Long.MIN_VALUE || o.bucket > bucket) {
      long oc = o.cur;
      long op = o.prev;
      if (bucket != Long.MIN_VALUE && o.bucket == bucket + 1) {
        op += cur;
      }
      bucket = o.bucket;
      cur = oc;
      prev = op;
    } else if (o.bucket == bucket) {
      cur += o.cur;
      prev += o.prev;
    } else if (o.bucket == bucket - 1) {
      prev += o.cur;
    }
  }
}
