package io.hoptrace.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {
  @TempDir Path tmp;

  private Path file(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void connectionSettingsReachEveryClientConfigurationWithTheBootstrapServers() throws Exception {
    Path trust = file("trust.p12", "not really a store; only its existence is checked");
    Path f =
        file(
            "client.properties",
            "# a comment\n"
                + "security.protocol=SASL_SSL\n"
                + "sasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"u\" password=\"p\";\n"
                + "ssl.truststore.location="
                + trust
                + "\n");
    KafkaClientSettings k = KafkaClientSettings.load("broker:9093", f);
    assertThat(k.client())
        .containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", trust.toString());
    assertThat(k.clientProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(k.source()).isEqualTo(f);
    // a caller's own settings do not leak into the next client's configuration
    k.client().put("client.id", "one");
    assertThat(k.client()).doesNotContainKey("client.id");
    assertThat(k.toString()).doesNotContain("password");
  }

  @Test
  void withoutAFileTheClientsGetTheBootstrapServersOnly() {
    KafkaClientSettings k = KafkaClientSettings.load("localhost:9092", null);
    assertThat(k.client()).isEqualTo(Map.of("bootstrap.servers", "localhost:9092"));
    assertThat(k).isEqualTo(KafkaClientSettings.plain("localhost:9092"));
  }

  @Test
  void aBadFileIsOneLineNamingTheFileAndTheKey() throws Exception {
    Path missing = tmp.resolve("missing.properties");
    assertThatThrownBy(() -> KafkaClientSettings.read(missing))
        .hasMessage("--kafka-config " + missing + ": no such file");
    assertThatThrownBy(() -> KafkaClientSettings.read(tmp))
        .hasMessageContaining("--kafka-config " + tmp + ": is a directory");
    Path unknown = file("unknown.properties", "security.protocol=SSL\nsecurity.protocoll=SSL\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(unknown))
        .hasMessage(
            "--kafka-config " + unknown + ": unknown Kafka client setting security.protocoll");
    Path producerOnly = file("acks.properties", "acks=0\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(producerOnly))
        .hasMessageStartingWith("--kafka-config " + producerOnly + ": acks is not a connection")
        .hasMessageContaining("producers");
    Path bootstrap = file("bootstrap.properties", "bootstrap.servers=a:1\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(bootstrap))
        .hasMessageContaining("bootstrap.servers is given with --bootstrap");
    Path json = file("client.json", "{\"security.protocol\": \"SSL\"}\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(json))
        .hasMessageStartingWith("--kafka-config " + json + ": unknown Kafka client setting");
    Path binary = tmp.resolve("store.p12");
    Files.write(binary, new byte[] {0x30, (byte) 0x82, 0x0a, 0x00, (byte) 0xff, 0x01});
    assertThatThrownBy(() -> KafkaClientSettings.read(binary))
        .hasMessageStartingWith("--kafka-config " + binary + ": not a properties file");
    Path empty = file("empty.properties", "# nothing\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(empty))
        .hasMessageContaining(": no settings in it");
  }

  @Test
  void badValuesAreRefusedWithoutPrintingSecrets() throws Exception {
    Path protocol = file("p.properties", "security.protocol=SASL_TLS\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(protocol))
        .hasMessageStartingWith("--kafka-config " + protocol + ": ")
        .hasMessageContaining("security.protocol");
    Path jaas = file("j.properties", "sasl.jaas.config=username=\"u\" password=\"hunter2\"\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(jaas))
        .hasMessageContaining("sasl.jaas.config is not a JAAS configuration")
        .hasMessageNotContaining("hunter2");
    Path store = file("s.properties", "ssl.truststore.location=/nonexistent/trust.p12\n");
    assertThatThrownBy(() -> KafkaClientSettings.read(store))
        .hasMessage(
            "--kafka-config "
                + store
                + ": ssl.truststore.location /nonexistent/trust.p12: no such file");
  }
}
