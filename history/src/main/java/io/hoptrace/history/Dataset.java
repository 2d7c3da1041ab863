package io.hoptrace.history;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The store's datasets, each a directory of Hive-partitioned Parquet files ({@code
 * <name>/date=YYYY-MM-DD/hour=HH/part-<uuid>.parquet}) and its columns, declared once here: the
 * writer's staging tables, the Parquet files and the query views all derive from these lists.
 *
 * <p>Every row is partitioned by the hour (UTC) of its record's {@code first_seen}, which all
 * versions of one conversation or alert share: its interim and final records land in one partition.
 * Times are {@code TIMESTAMP_NS} (UTC); IPv4 addresses are also kept as unsigned 32-bit numbers
 * ({@code *_ip4}, null for IPv6) for range (CIDR) filters.
 */
public enum Dataset {
  /** One row per flow record (interim updates and the final record). */
  FLOWS(
      "flows",
      List.of(
          col("conversation_id", "VARCHAR"),
          col("first_seen", "TIMESTAMP_NS"),
          col("last_seen", "TIMESTAMP_NS"),
          col("verdict", "VARCHAR"),
          col("final", "BOOLEAN"),
          col("tcp_state", "VARCHAR"),
          col("ip_version", "INTEGER"),
          col("proto", "INTEGER"),
          col("src", "VARCHAR"),
          col("sport", "INTEGER"),
          col("dst", "VARCHAR"),
          col("dport", "INTEGER"),
          col("src_ip4", "BIGINT"),
          col("dst_ip4", "BIGINT"),
          col("nat_src", "VARCHAR"),
          col("nat_sport", "INTEGER"),
          col("nat_dst", "VARCHAR"),
          col("nat_dport", "INTEGER"),
          col("nat_src_ip4", "BIGINT"),
          col("nat_dst_ip4", "BIGINT"),
          col("tuples", "VARCHAR[]"),
          col("community_ids", "VARCHAR[]"),
          col("hop_path", "VARCHAR[]"))),
  /** One row per alert record (FIRING, updates, RESOLVED). */
  ALERTS(
      "alerts",
      List.of(
          col("id", "VARCHAR"),
          col("type", "VARCHAR"),
          col("severity", "VARCHAR"),
          col("status", "VARCHAR"),
          col("first_seen", "TIMESTAMP_NS"),
          col("last_seen", "TIMESTAMP_NS"),
          col("count", "BIGINT"),
          col("subject_kind", "VARCHAR"),
          col("src", "VARCHAR"),
          col("dst", "VARCHAR"),
          col("src_ip4", "BIGINT"),
          col("dst_ip4", "BIGINT"),
          col("proto", "INTEGER"),
          col("sport", "INTEGER"),
          col("dport", "INTEGER"),
          col("node", "VARCHAR"),
          col("vtep", "VARCHAR"),
          col("conversation_id", "VARCHAR"),
          col("lost_after", "VARCHAR"),
          col("lost_before", "VARCHAR"),
          col("lost_direction", "VARCHAR"),
          col("hint", "VARCHAR"),
          col("hops_seen", "VARCHAR[]"),
          col("hops_missing", "VARCHAR[]"),
          col("counts", "MAP(VARCHAR, BIGINT)"),
          col("facts", "MAP(VARCHAR, VARCHAR)"),
          col("samples", "VARCHAR[]"),
          col("community_ids", "VARCHAR[]"))),
  /** Per flow record, one row per (hop, direction): packets, bytes, retransmissions. */
  FLOW_HOPS(
      "flow_hops",
      List.of(
          col("conversation_id", "VARCHAR"),
          col("first_seen", "TIMESTAMP_NS"),
          col("last_seen", "TIMESTAMP_NS"),
          col("final", "BOOLEAN"),
          col("hop_index", "INTEGER"),
          col("hop", "VARCHAR"),
          col("node", "VARCHAR"),
          col("role", "VARCHAR"),
          col("direction", "VARCHAR"),
          col("packets", "BIGINT"),
          col("bytes", "BIGINT"),
          col("retransmissions", "BIGINT")));

  /** A column: name and DuckDB type. */
  public record Column(String name, String type) {}

  /** The Hive partition columns (not stored in the files; DuckDB reads them from the path). */
  public static final List<Column> PARTITION_COLUMNS =
      List.of(col("date", "DATE"), col("hour", "INTEGER"));

  private final String dir;
  private final List<Column> columns;

  Dataset(String dir, List<Column> columns) {
    this.dir = dir;
    this.columns = columns;
  }

  private static Column col(String name, String type) {
    return new Column(name, type);
  }

  /** The directory under the store, and the raw dataset's name. */
  public String dir() {
    return dir;
  }

  /** The columns stored in the Parquet files, in file order. */
  public List<Column> columns() {
    return columns;
  }

  /** {@code name TYPE, ...} of the file columns followed by the partition columns. */
  String columnDdl() {
    return java.util.stream.Stream.concat(columns.stream(), PARTITION_COLUMNS.stream())
        .map(c -> c.name() + " " + c.type())
        .collect(Collectors.joining(", "));
  }
}
