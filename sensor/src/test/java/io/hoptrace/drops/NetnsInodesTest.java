package io.hoptrace.drops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetnsInodesTest {

  @Test
  void namesAndPathsResolveToTheirInode(@TempDir Path dir) throws IOException {
    Path ns = Files.createFile(dir.resolve("blue"));
    long ino = ((Number) Files.getAttribute(ns, "unix:ino")).longValue();
    NetnsInodes inodes = new NetnsInodes(dir);
    assertThat(inodes.inode("blue")).isEqualTo(ino);
    assertThat(inodes.inode(ns.toString())).isEqualTo(ino);
    assertThat(inodes.names()).containsEntry(ino, "blue").hasSize(1);
  }

  @Test
  void aNamespaceCreatedWhileWatchingIsNamedAfterARescan(@TempDir Path dir) throws Exception {
    NetnsInodes inodes = new NetnsInodes(dir);
    assertThat(inodes.nameOf(1)).isNull();
    Path ns = Files.createFile(dir.resolve("late"));
    long ino = ((Number) Files.getAttribute(ns, "unix:ino")).longValue();
    Thread.sleep(1100); // rescans are at most once a second
    assertThat(inodes.nameOf(ino)).isEqualTo("late");
  }

  @Test
  void aMissingNamespaceIsOneLineNamingTheOption(@TempDir Path dir) {
    NetnsInodes inodes = new NetnsInodes(dir);
    assertThatThrownBy(() -> inodes.inode("nope"))
        .isInstanceOf(DropWatchException.class)
        .hasMessageStartingWith("--netns: no network namespace 'nope'");
    assertThatThrownBy(() -> inodes.inode(" "))
        .isInstanceOf(DropWatchException.class)
        .hasMessageStartingWith("--netns:");
    assertThat(new NetnsInodes(dir.resolve("absent")).names()).isEmpty();
  }
}
