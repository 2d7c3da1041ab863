package io.hoptrace.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The up-front Kafka check: a closed port, a port that accepts connections and says nothing, and a
 * bootstrap without a port each give one sentence, within the time bound.
 */
class KafkaCheckTest {

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void closedPortIsReportedAtOnce() throws IOException {
    int port = closedPort();
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> KafkaCheck.check("127.0.0.1:" + port, Map.of(), KafkaCheck.DEFAULT_TIMEOUT))
        .isInstanceOf(KafkaUnreachableException.class)
        .hasMessage(
            "cannot reach Kafka at 127.0.0.1:"
                + port
                + ": nothing listens on 127.0.0.1:"
                + port
                + " (connection refused)");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anOpenPortThatIsNotKafkaFailsWithinTheTimeout() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    accepted.add(silent.accept()); // accepts, reads nothing, answers nothing
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String bootstrap = "127.0.0.1:" + silent.getLocalPort();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> KafkaCheck.check(bootstrap, Map.of(), Duration.ofSeconds(3)))
          .isInstanceOf(KafkaUnreachableException.class)
          .hasMessageStartingWith("no Kafka answered at " + bootstrap + " within 3 s");
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      assertThat(accepted).isNotEmpty();
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void theDefaultTimeoutStaysWithinThirtySeconds() {
    assertThat(KafkaCheck.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aBootstrapWithoutAPortSaysSo() {
    assertThatThrownBy(() -> KafkaCheck.parseBootstrap("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bootstrap server 'localhost' is not HOST:PORT (e.g. localhost:9092)");
    assertThatThrownBy(() -> KafkaCheck.parseBootstrap("kafka:9092,kafka2"))
        .hasMessageContaining("'kafka2' is not HOST:PORT");
    assertThatThrownBy(() -> KafkaCheck.parseBootstrap("kafka:99999"))
        .hasMessageContaining("'kafka:99999' is not HOST:PORT");
    assertThat(KafkaCheck.parseBootstrap("a:1, [::1]:9092"))
        .extracting(a -> a.getHostString() + " " + a.getPort())
        .containsExactly("a 1", "::1 9092");
  }
}
