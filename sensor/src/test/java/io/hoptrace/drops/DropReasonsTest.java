package io.hoptrace.drops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropReasonsTest {

  /** The format file of kernel 6.18, as recorded on the lab machine. */
  static String format618() throws IOException {
    try (InputStream in =
        DropReasonsTest.class.getResourceAsStream("/drops/kfree_skb-format-6.18.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Linux 5.15's tracepoint: no reason field yet. */
  static final String FORMAT_515 =
      """
      name: kfree_skb
      ID: 1420
      format:
      \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
      \tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;
      \tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;
      \tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;

      print fmt: "skbaddr=%p protocol=%u location=%p", REC->skbaddr, REC->protocol, REC->location
      """;

  @Test
  void namesComeFromTheKernelsTable() throws IOException {
    DropReasons r = DropReasons.parse(format618());
    assertThat(r.name(2)).isEqualTo("NOT_SPECIFIED");
    assertThat(r.name(3)).isEqualTo("NO_SOCKET");
    assertThat(r.name(12)).isEqualTo("NETFILTER_DROP");
    assertThat(r.name(88)).isEqualTo("IP_INNOROUTES");
    assertThat(r.name(111)).isEqualTo("VXLAN_VNI_NOT_FOUND");
    assertThat(r.all()).hasSize(129).containsEntry(130, "MAX");
    assertThat(r.name(999)).isEqualTo("REASON_999");
  }

  @Test
  void normalLifeCodesAreLookedUpByName() throws IOException {
    DropReasons r = DropReasons.parse(format618());
    // NOT_SPECIFIED, SOCKET_CLOSE, UNIX_DISCONNECT, UNIX_SKIP_OOB, TCP_CLOSE, QUEUE_PURGE
    assertThat(r.normalLifeCodes()).containsExactly(2, 4, 7, 8, 47, 105);
  }

  @Test
  void otherNumberingsAreFollowed() {
    DropReasons r =
        DropReasons.parse(
            "\tfield:enum skb_drop_reason reason;\toffset:36;\n"
                + "print fmt: \"reason: %s\", __print_symbolic(REC->reason, { 1, \"NOT_SPECIFIED\" },"
                + " { 0x10, \"NETFILTER_DROP\" })");
    assertThat(r.name(16)).isEqualTo("NETFILTER_DROP");
    assertThat(r.normalLifeCodes()).containsExactly(1);
  }

  @Test
  void aKernelWithoutReasonsIsRefusedClearly() {
    assertThatThrownBy(() -> DropReasons.parse(FORMAT_515))
        .isInstanceOf(DropWatchException.class)
        .hasMessageContaining("no drop reason field")
        .hasMessageContaining("5.17");
  }

  @Test
  void loadNamesAnUnmountedTracefs(@TempDir Path dir) {
    assertThatThrownBy(() -> DropReasons.load(List.of(dir)))
        .isInstanceOf(DropWatchException.class)
        .hasMessageContaining("tracefs is not mounted at " + dir)
        .hasMessageContaining("mount -t tracefs");
  }

  @Test
  void loadReadsTheFirstMountWithTheTracepoint(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectories(dir.resolve("a/events"));
    Path mounted = dir.resolve("b");
    Path f = mounted.resolve(DropReasons.FORMAT);
    Files.createDirectories(f.getParent());
    Files.writeString(f, format618());
    assertThat(DropReasons.load(List.of(empty.getParent(), mounted)).name(12))
        .isEqualTo("NETFILTER_DROP");
  }
}
