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
 * An incident's first_seen moves earlier when an alert that started earlier joins it, so its
 * versions may lie in several partitions (the {@code incidents} view picks across them). Times are
 * {@code TIMESTAMP_NS} (UTC); IPv4 addresses are also kept as unsigned 32-bit numbers ({@code
 * *_ip4}, null for IPv6) for range (CIDR) filters.
 */
public enum Dataset {
  /** One row per final flow record (the conversation ended or expired). */
  FLOWS("flows", Cols.FLOW),
  /**
   * One row per interim flow record (an update of a conversation still open), kept apart so that a
   * store whose conversations all ended has no versions to choose between.
   */
  FLOW_UPDATES("flow_updates", Cols.FLOW),
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
  /**
   * One row per incident record (an incident opened, an alert added, resolved, re-opened): the
   * cause and the alerts it explains.
   */
  INCIDENTS(
      "incidents",
      List.of(
          col("id", "VARCHAR"),
          col("status", "VARCHAR"),
          col("severity", "VARCHAR"),
          col("cause_kind", "VARCHAR"),
          col("cause_key", "VARCHAR"),
          col("cause", "VARCHAR"),
          col("lost_after", "VARCHAR"),
          col("lost_before", "VARCHAR"),
          col("lost_direction", "VARCHAR"),
          col("first_seen", "TIMESTAMP_NS"),
          col("last_seen", "TIMESTAMP_NS"),
          col("alert_ids", "VARCHAR[]"),
          col("alert_types", "VARCHAR[]"),
          col("firing_alert_ids", "VARCHAR[]"))),
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

  /** Column lists shared by several datasets. */
  private static final class Cols {
    static final List<Column> FLOW =
        List.of(
            new Column("conversation_id", "VARCHAR"),
            new Column("first_seen", "TIMESTAMP_NS"),
            new Column("last_seen", "TIMESTAMP_NS"),
            new Column("verdict", "VARCHAR"),
            new Column("final", "BOOLEAN"),
            new Column("tcp_state", "VARCHAR"),
            new Column("ip_version", "INTEGER"),
            new Column("proto", "INTEGER"),
            new Column("src", "VARCHAR"),
            new Column("sport", "INTEGER"),
            new Column("dst", "VARCHAR"),
            new Column("dport", "INTEGER"),
            new Column("src_ip4", "BIGINT"),
            new Column("dst_ip4", "BIGINT"),
            new Column("nat_src", "VARCHAR"),
            new Column("nat_sport", "INTEGER"),
            new Column("nat_dst", "VARCHAR"),
            new Column("nat_dport", "INTEGER"),
            new Column("nat_src_ip4", "BIGINT"),
            new Column("nat_dst_ip4", "BIGINT"),
            new Column("tuples", "VARCHAR[]"),
            new Column("community_ids", "VARCHAR[]"),
            new Column("hop_path", "VARCHAR[]"));
  }

  /** A column: name and DuckDB type. */
  public record Column(String name, String type) {}

  /**
   * Rows per Parquet row group: each row group carries min/max statistics per column, so with the
   * flow files sorted by destination ({@link #sortOrder}) a lookup of one address reads a few row
   * groups of each hour's files instead of all of them (DuckDB's default is 122 880 rows, more than
   * a batch file holds).
   */
  static final int ROW_GROUP_ROWS = 8192;

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

  /**
   * The order of the rows inside each file ({@code ORDER BY} text), empty for none: flow files by
   * destination address, the common lookup ("what happened to this pod's traffic"), so that their
   * row groups' min/max statistics on {@code dst_ip4} (and {@code dst} for IPv6) skip most of a
   * file.
   */
  String sortOrder() {
    return this == FLOWS || this == FLOW_UPDATES ? "dst_ip4 NULLS LAST, dst" : "";
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

  /**
   * As {@link #columnDdl()} for the writer's staging table, where lists are text ({@link
   * Rows#list}: the JDBC appender appends list values an order of magnitude slower than text).
   */
  String stagingDdl() {
    return java.util.stream.Stream.concat(columns.stream(), PARTITION_COLUMNS.stream())
        .map(c -> c.name() + " " + (c.type().endsWith("[]") ? "VARCHAR" : c.type()))
        .collect(Collectors.joining(", "));
  }

  /** The file columns as selected from the staging table (text lists decoded). */
  String selectFromStaging() {
    return columns.stream()
        .map(
            c ->
                c.type().endsWith("[]")
                    ? Rows.decodeList(c.name(), c.type()) + " AS " + c.name()
                    : c.name())
        .collect(Collectors.joining(", "));
  }
}
