package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LabCommandTest {

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(LabCommand lab, String... args) {
    CommandLine cl = new CommandLine(lab);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** A stand-in lab.sh that echoes its arguments and exits with 3. */
  private Path fakeInstall(Path root) throws IOException {
    Path script = root.resolve(LabCommand.SCRIPT);
    Files.createDirectories(script.getParent());
    Files.writeString(script, "echo \"args: $*\"\necho \"to stderr\" >&2\nexit 3\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  @Test
  void refusesWhenNotRootWithoutRunningTheScript() throws IOException {
    fakeInstall(tmp);
    int code =
        run(new LabCommand(Map.of(LabCommand.HOME_ENV, tmp.toString()), tmp, () -> 1000), "up");

    assertThat(code).isEqualTo(LabCommand.EXIT_NOT_ROOT);
    assertThat(err.toString()).contains("needs root").contains("sudo ./hoptrace lab up");
    assertThat(out.toString()).doesNotContain("args:");
  }

  @Test
  void runsTheScriptFromHoptraceHomeStreamingOutputAndReturningItsExitCode() throws IOException {
    fakeInstall(tmp);
    Path elsewhere = Files.createDirectories(tmp.resolve("x"));
    int code =
        run(
            new LabCommand(Map.of(LabCommand.HOME_ENV, tmp.toString()), elsewhere, () -> 0),
            "scenario",
            "vxlan-blocked",
            "--variant",
            "underlay");

    assertThat(code).isEqualTo(3);
    assertThat(out.toString()).contains("args: scenario vxlan-blocked --variant underlay");
    assertThat(err.toString()).contains("to stderr");
  }

  @Test
  void findsTheScriptInAParentOfTheWorkingDirectoryWhenHomeIsUnset() throws IOException {
    fakeInstall(tmp);
    Path cwd = Files.createDirectories(tmp.resolve("cli/target"));
    int code = run(new LabCommand(Map.of(), cwd, () -> 0), "record", "dns", "out");

    assertThat(code).isEqualTo(3);
    assertThat(out.toString()).contains("args: record dns " + Path.of("out").toAbsolutePath());
  }

  @Test
  void listNeedsNoRoot() throws IOException {
    fakeInstall(tmp);
    int code =
        run(new LabCommand(Map.of(LabCommand.HOME_ENV, tmp.toString()), tmp, () -> 1000), "list");

    assertThat(code).isEqualTo(3);
    assertThat(out.toString()).contains("args: list");
  }

  @Test
  void missingScriptIsAClearError() {
    int code =
        run(new LabCommand(Map.of(LabCommand.HOME_ENV, tmp.toString()), tmp, () -> 0), "down");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("cannot find").contains("HOPTRACE_HOME");
  }

  @Test
  void helpNamesEveryAction() {
    int code = run(new LabCommand(Map.of(), tmp, () -> 0), "--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("up", "down", "status", "list", "scenario", "record");
  }

  @Test
  void isRegisteredInTheLauncher() {
    assertThat(Main.commandLine().getSubcommands()).containsKey("lab");
  }

  @Test
  void theRealScriptListsTheScenariosOfTheSpec() {
    assertThat(LabCommand.locate(Map.of(), Path.of("").toAbsolutePath()))
        .as("deploy/lab/lab.sh above the module directory")
        .isPresent();
    int code = run(new LabCommand(Map.of(), Path.of("").toAbsolutePath(), () -> 1000), "list");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains(
            "healthy",
            "vxlan-blocked",
            "no-route",
            "wrong-vtep",
            "dual-ip",
            "mtu-blackhole",
            "port-closed",
            "dns",
            "nodeport",
            "vxlan6-blocked");
  }
}
