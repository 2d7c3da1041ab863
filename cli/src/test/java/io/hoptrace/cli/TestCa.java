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
    String ks = "PKCS12";
    String san = "SAN=ip:127.0.0.1,dns:localhost";
    caIn(d, "ca");
    caIn(d, "other-ca");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        f(d, "broker.p12"),
        "-storetype",
        ks,
        "-storepass",
        PASSWORD);
    keytool(
        "-certreq",
        "-alias",
        "broker",
        "-keystore",
        f(d, "broker.p12"),
        "-storepass",
        PASSWORD,
        "-file",
        f(d, "broker.csr"));
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        f(d, "ca.p12"),
        "-storepass",
        PASSWORD,
        "-infile",
        f(d, "broker.csr"),
        "-outfile",
        f(d, "broker.pem"),
        "-rfc",
        "-validity",
        "2",
        "-ext",
        san);
    keytool(
        "-importcert",
        "-alias",
        "ca",
        "-file",
        f(d, "ca.pem"),
        "-keystore",
        f(d, "broker.p12"),
        "-storepass",
        PASSWORD,
        "-noprompt");
    keytool(
        "-importcert",
        "-alias",
        "broker",
        "-file",
        f(d, "broker.pem"),
        "-keystore",
        f(d, "broker.p12"),
        "-storepass",
        PASSWORD,
        "-noprompt");
    keytool(
        "-importcert",
        "-alias",
        "ca",
        "-file",
        f(d, "ca.pem"),
        "-keystore",
        f(d, "trust.p12"),
        "-storetype",
        ks,
        "-storepass",
        PASSWORD,
        "-noprompt");
    keytool(
        "-importcert",
        "-alias",
        "ca",
        "-file",
        f(d, "other-ca.pem"),
        "-keystore",
        f(d, "other-trust.p12"),
        "-storetype",
        ks,
        "-storepass",
        PASSWORD,
        "-noprompt");
  }

  /** A self-signed CA {@code name}.p12 and its certificate {@code name}.pem. */
  private static void caIn(Path d, String name) throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=hoptrace test " + name,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        f(d, name + ".p12"),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "ca",
        "-keystore",
        f(d, name + ".p12"),
        "-storepass",
        PASSWORD,
        "-rfc",
        "-file",
        f(d, name + ".pem"));
  }

  private static String f(Path d, String name) {
    return d.resolve(name).toString();
  }

  /** keytool in this JVM (it exits the JVM with 1 on an error; exported by the child's flags). */
  private static void keytool(String... args) throws Exception {
    Class.forName("sun.security.tools.keytool.Main")
        .getMethod("main", String[].class)
        .invoke(null, (Object) args);
  }
}
