package io.hoptrace.cli;

import io.hoptrace.embedded.QuietLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hoptrace} launcher: one entry point, one subcommand per capability. */
@Command(
    name = "hoptrace",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Finds where packets die in a Kubernetes overlay network.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DecodeCommand.class,
      SensorCommand.class,
      BrokerCommand.class,
      BenchCommand.class,
      LabCommand.class,
      AnalyzeCommand.class,
      RunCommand.class,
      FlinkCommand.class,
      DemoCommand.class,
      QueryCommand.class,
      FlowsCommand.class,
      AlertsCommand.class,
      DropsCommand.class,
      PcapCommand.class,
      ServeCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line; tests use it to run commands in-process. */
  public static CommandLine commandLine() {
    // before any Kafka logger exists: their levels are read when each is created
    QuietLogging.apply();
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"hoptrace " + (v == null ? "dev" : v)};
    }
  }

  /** One clear error line instead of a stack trace (set HOPTRACE_DEBUG=1 for the trace). */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
      cmd.getErr().println("hoptrace " + cmd.getCommandName() + ": error: " + message(ex));
      if (System.getenv("HOPTRACE_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return 2;
    }

    private static String message(Throwable t) {
      String m = t.getMessage();
      return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
  }
}
