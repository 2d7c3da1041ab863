package io.hoptrace.capture;

/** One live packet source run by {@link LiveCapture} on its own thread. */
interface CaptureSource {

  HopContext hop();

  /** Delivers packets until {@link #stop()} or an error; returns normally in both cases. */
  void run();

  /** Makes {@link #run()} return soon; callable from any thread. */
  void stop();

  /** Releases resources once {@link #run()} has returned. */
  void close();

  LiveStats stats(boolean running);
}
