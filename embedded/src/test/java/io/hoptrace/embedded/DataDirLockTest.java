package io.hoptrace.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory lock and the port check, without starting a broker. */
class DataDirLockTest {

  @TempDir Path dir;

  @Test
  void aSecondLockOnADirectoryInUseNamesTheHolderAndTouchesNothing() throws IOException {
    Files.writeString(dir.resolve("meta.properties"), "untouched");
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      assertThatThrownBy(() -> DataDirLock.acquire(dir))
          .isInstanceOf(DataDirInUseException.class)
          .hasMessage(
              "data directory "
                  + dir
                  + " is in use by another broker (pid "
                  + ProcessHandle.current().pid()
                  + ")");
      assertThat(Files.readString(dir.resolve(DataDirLock.FILE)).trim())
          .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }
    assertThat(Files.readString(dir.resolve("meta.properties"))).isEqualTo("untouched");
    // released: the next broker gets it
    DataDirLock.acquire(dir).close();
  }

  @Test
  void aBrokerOnADirectoryInUseDoesNotStart() {
    try (DataDirLock held = DataDirLock.acquire(dir)) {
      assertThatThrownBy(() -> EmbeddedKafka.builder().dataDir(dir).start())
          .isInstanceOf(DataDirInUseException.class)
          .hasMessageContaining("is in use by another broker");
      // neither formatted nor started: no Kafka log directory was made
      assertThat(dir.resolve("kafka-logs")).doesNotExist();
    }
  }

  @Test
  void aFixedPortInUseIsNamedInOneLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedKafka.builder().dataDir(dir).port(port).start())
          .isInstanceOf(PortInUseException.class)
          .hasMessageStartingWith("port " + port + " on 127.0.0.1 is in use")
          .hasMessageNotContaining("\n");
      assertThat(dir.resolve("kafka-logs")).doesNotExist();
    }
    // the lock is released with the failed start
    DataDirLock.acquire(dir).close();
  }
}
