package io.hoptrace.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate authority and a broker certificate signed by it (for 127.0.0.1 and
 * localhost), made with the JDK's keytool: {@code broker.p12} (the broker's key and certificate
 * chain), {@code trust.p12} (the CA, for clients) and {@code other-trust.p12} (another CA, which
 * did not sign the broker's certificate). Every store has the password {@link #PASSWORD}. The
 * keytool steps run in one child JVM ({@link #main}): a keytool process per step took 40 s here.
 */
final class TestCa {
  static final String PASSWORD = "changeit";

  final Path brokerKeystore;
  final Path truststore;
  final Path otherTruststore;

  private TestCa(Path dir) {
    this.brokerKeystore = dir.resolve("broker.p12");
    this.truststore = dir.resolve("trust.p12");
    this.otherTruststore = dir.resolve("other-trust.p12");
  }

  /** Makes the stores in {@code dir}. */
  static TestCa create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--add-exports");
    cmd.add("java.base/sun.security.tools.keytool=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TestCa.class.getName());
    cmd.add(dir.toAbsolutePath().toString());
    File log = dir.resolve("keytool.log").toFile();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log))
            .start();
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool failed: " + Files.readString(log.toPath()));
    }
    return new TestCa(dir);
  }

  /** The keytool steps, in {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    Path d = Path.of(args[0]);
    for (String ca : new String[] {"ca", "other-ca"}) {
      keytool(d, "-genkeypair -alias ca -dname CN=hoptrace-test-" + ca + " -ext bc:c", ca);
      keytool(d, "-exportcert -alias ca -rfc -file {" + ca + ".pem}", ca);
    }
    keytool(d, "-genkeypair -alias broker -dname CN=127.0.0.1", "broker");
    keytool(d, "-certreq -alias broker -file {broker.csr}", "broker");
    keytool(
        d,
        "-gencert -alias ca -infile {broker.csr} -outfile {broker.pem} -rfc -validity 2"
            + " -ext SAN=ip:127.0.0.1,dns:localhost",
        "ca");
    keytool(d, "-importcert -noprompt -alias ca -file {ca.pem}", "broker");
    keytool(d, "-importcert -noprompt -alias broker -file {broker.pem}", "broker");
    keytool(d, "-importcert -noprompt -alias ca -file {ca.pem}", "trust");
    keytool(d, "-importcert -noprompt -alias ca -file {other-ca.pem}", "other-trust");
  }

  /**
   * keytool in this JVM on the PKCS12 store {@code store}.p12 of {@code d}: {@code command}'s words
   * with {@code {NAME}} standing for the file NAME in {@code d}; new keys are EC P-256, valid for 2
   * days. keytool exits the JVM with 1 on an error; its package is exported by the child's flags.
   */
  private static void keytool(Path d, String command, String store) throws Exception {
    List<String> args = new ArrayList<>();
    for (String word : command.split(" ")) {
      args.add(
          word.startsWith("{") ? d.resolve(word.substring(1, word.length() - 1)).toString() : word);
    }
    if (command.startsWith("-genkeypair")) {
      args.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    args.addAll(
        List.of(
            "-keystore",
            d.resolve(store + ".p12").toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            PASSWORD));
    Class.forName("sun.security.tools.keytool.Main")
        .getMethod("main", String[].class)
        .invoke(null, (Object) args.toArray(String[]::new));
  }
}
