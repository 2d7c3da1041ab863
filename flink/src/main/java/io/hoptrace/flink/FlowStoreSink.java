package io.hoptrace.flink;

import io.hoptrace.schema.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The flow store written by the job itself (the scale-out alternative to the embedded store writer,
 * {@link io.hoptrace.history.StoreWriter}): the job's outputs ({@link StoreRows}) into a {@link
 * FileSink} on any Flink file system (a local directory, {@code s3://…}, {@code hdfs://…} with the
 * cluster's file-system plugin), in the store's layout — {@code
 * <dataset>/date=YYYY-MM-DD/hour=HH/part-<uuid>-<subtask>-<n>.parquet} ({@link HourBuckets}, {@link
 * ParquetParts}) — so that {@code hoptrace query/flows/serve --store} read it unchanged.
 *
 * <p>Exactly-once like the Kafka sink: a part file rolls at every checkpoint and is committed
 * (renamed into view, or its multipart upload completed) when the checkpoint completes; until then
 * it is a hidden {@code .part-…parquet.inprogress.<uuid>} file that the query views' {@code
 * *.parquet} glob does not match. A restart resumes from the last checkpoint: rows written after it
 * are discarded with their in-progress files, none is stored twice. Each checkpoint gives one file
 * per dataset, hour and subtask that had rows: the checkpoint interval sets the files' size.
 */
public final class FlowStoreSink {
  private FlowStoreSink() {}

  /**
   * Adds the sink to the job's outputs (the records of its Kafka sink).
   *
   * @param store where the store is: a URI of a Flink file system or a local directory
   */
  public static void attach(DataStream<SinkRecord> outputs, Topics topics, String store) {
    outputs
        .flatMap(new StoreRows(topics), TypeInformation.of(StoreRow.class))
        .name("store rows")
        .uid("store-rows")
        .sinkTo(sink(store))
        .name("flow store")
        .uid("flow-store");
  }

  static FileSink<StoreRow> sink(String store) {
    return FileSink.forBulkFormat(new Path(store), new ParquetParts())
        .withBucketAssigner(new HourBuckets())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
        .build();
  }

  /**
   * The store's URI: {@code store} itself when it has a scheme ({@code s3://bucket/history}), else
   * a local directory made absolute ({@code file:/…}).
   *
   * @throws IllegalArgumentException naming the value when it is not a URI or a local path that is
   *     not a directory
   */
  public static String uri(String store) {
    if (store == null || store.isBlank()) {
      throw new IllegalArgumentException("--store: must not be blank");
    }
    URI u;
    try {
      u = new URI(store);
    } catch (URISyntaxException e) {
      u = null;
    }
    if (u != null && u.getScheme() != null && u.getScheme().length() > 1) {
      return store;
    }
    java.nio.file.Path dir = java.nio.file.Path.of(store).toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--store " + store + ": not a directory");
    }
    return dir.toUri().toString();
  }

  /**
   * Checks that Flink has a file system for the store's scheme here (in a JVM without a cluster's
   * plugins, such as {@code hoptrace flink}'s, only local directories); touches nothing.
   *
   * @throws IllegalArgumentException naming the store when its file system is not available
   */
  public static void checkFileSystem(String uri) {
    try {
      FileSystem.get(URI.create(uri));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--store "
              + uri
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + " (here only local directories; other file systems on a Flink cluster with their"
              + " plugin)",
          e);
    }
  }
}
