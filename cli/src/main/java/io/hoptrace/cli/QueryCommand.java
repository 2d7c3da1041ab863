package io.hoptrace.cli;

import io.hoptrace.history.StoreQuery;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hoptrace query "SQL"}: SQL over the flow store. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one SQL statement (DuckDB dialect) over the flow store that demo/analyze --store"
          + " write. Views: flows (one row per conversation: its final record, or its newest"
          + " update while open; with lost_after, lost_before, lost_direction and alert_types from"
          + " the alerts about it), alerts (one row per alert id, as it last stood), flow_hops"
          + " (packets, bytes, retransmissions per hop and direction of the flows in flows), and"
          + " flow_records (final_flow_records + flow_update_records), alert_records,"
          + " flow_hop_records (every record as written). Times are"
          + " UTC; date and hour are the Hive partition of first_seen (filters on them skip whole"
          + " files).",
      "Errors in the SQL come back as one line (exit code 2)."
    })
final class QueryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin StoreReadOptions read;

  @Parameters(
      paramLabel = "SQL",
      description = "The statement, e.g. \"select verdict, count(*) from flows group by 1\".")
  String sql;

  @Override
  public Integer call() {
    try (StoreQuery q = read.open()) {
      QueryOutput.print(q.sql(sql), read.format, spec.commandLine().getOut());
    }
    return 0;
  }
}
