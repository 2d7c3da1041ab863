package io.hoptrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code serve} and {@code demo --serve-port}: bad options are one line and exit code 2. */
class ServeCommandTest {
  @TempDir static Path store;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "serve --store /no/such/store | hoptrace serve: error: --store /no/such/store: no such"
            + " directory",
        "serve --store STORE --port 70000 | hoptrace serve: error: --port 70000: must be 0..65535",
        "serve --store STORE --bind no-such-host.invalid | hoptrace serve: error: --bind"
            + " no-such-host.invalid: unknown address",
        "serve --store STORE --bootstrap 127.0.0.1:1 --topic-prefix a/b | hoptrace serve: error:"
            + " --topic-prefix:",
        "demo --serve-port 8080 | hoptrace demo: error: --serve-port 8080: needs --store DIR",
      })
  void badOptionsAreOneLineAndExitCode2(String args, String error) {
    CliRun r = CliRun.run(args.replace("STORE", store.toString()).split(" "));
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith(error).doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void aPortInUseIsNamed() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r =
          CliRun.run(
              "serve", "--store", store.toString(), "--port", String.valueOf(busy.getLocalPort()));
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip())
          .startsWith("hoptrace serve: error: cannot listen on 127.0.0.1:" + busy.getLocalPort())
          .doesNotContain("\n");
    }
  }
}
