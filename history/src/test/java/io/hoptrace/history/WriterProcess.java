package io.hoptrace.history;

import io.hoptrace.schema.Topics;
import java.nio.file.Path;
import java.util.Map;

/**
 * A store writer alone in a JVM, for {@link StoreCrashIT} to kill: {@code WriterProcess STORE
 * BOOTSTRAP BATCH_RECORDS BATCH_SECONDS}. Prints {@code started} once it runs, then writes until
 * killed.
 */
public final class WriterProcess {
  private WriterProcess() {}

  public static void main(String[] args) throws Exception {
    StoreWriter w =
        StoreWriter.start(
            Path.of(args[0]),
            args[1],
            Topics.defaults(),
            new StoreConfig(
                Map.of(
                    StoreConfig.BATCH_RECORDS, args[2],
                    StoreConfig.BATCH_SECONDS, args[3])));
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    w.close();
  }
}
