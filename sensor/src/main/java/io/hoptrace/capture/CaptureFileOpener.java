package io.hoptrace.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Opens a capture file for {@link CaptureFileReader}: checks that it is a readable, non-empty
 * regular file, tells pcap, pcapng and gzip apart by their magic, decompresses a gzip-compressed
 * capture into a temporary file, and reports every refusal as one {@link CaptureFileException} line
 * naming the file.
 */
final class CaptureFileOpener {
  private static final int GZIP_MAGIC = 0x1f8b;

  private CaptureFileOpener() {}

  static CaptureFileReader open(
      Path file,
      HopContext hop,
      Function<CaptureInterface, HopContext> hopForInterface,
      long windowBytes)
      throws CaptureFileException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(hop, "hop");
    Objects.requireNonNull(hopForInterface, "hopForInterface");
    if (windowBytes < 4096 || windowBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("windowBytes must be in [4096, 2^31-1]: " + windowBytes);
    }
    if (Files.isDirectory(file)) {
      throw new CaptureFileException(file + ": is a directory");
    }
    FileChannel ch;
    long size;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
      size = ch.size();
    } catch (NoSuchFileException e) {
      throw new CaptureFileException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CaptureFileException(file + ": permission denied");
    } catch (IOException e) {
      throw new CaptureFileException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      if (size == 0) {
        throw new CaptureFileException(file + ": empty file");
      }
      if (size < 4) {
        throw new CaptureFileException(
            file + ": not a pcap or pcapng file (only " + size + " bytes)");
      }
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(4);
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // read the magic
      }
      int magicBig = head.getInt(0);
      int magicLittle = Integer.reverseBytes(magicBig);
      if ((magicBig >>> 16) == GZIP_MAGIC) {
        closeQuietly(ch);
        return openGzip(file, hop, hopForInterface, windowBytes);
      }
      CaptureFileReader.Format format;
      if (magicBig == CaptureFormat.PCAPNG_SHB) {
        format = CaptureFileReader.Format.PCAPNG;
      } else if (CaptureFormat.isPcapMagic(magicBig) || CaptureFormat.isPcapMagic(magicLittle)) {
        format = CaptureFileReader.Format.PCAP;
      } else {
        throw new CaptureFileException(
            file + ": not a pcap or pcapng file (magic 0x" + String.format("%08x", magicBig) + ")");
      }
      CaptureFileReader r =
          new CaptureFileReader(file, ch, size, windowBytes, hop, hopForInterface, format);
      r.begin();
      return r;
    } catch (CaptureFileException e) {
      closeQuietly(ch);
      throw e;
    } catch (IOException e) {
      closeQuietly(ch);
      throw new CaptureFileException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A gzip-compressed capture ({@code tcpdump -w - | gzip}, {@code .pcap.gz}): decompressed into a
   * temporary file that is read like any other (and unlinked at once, or at {@link
   * CaptureFileReader#close()}); messages name the compressed file.
   */
  private static CaptureFileReader openGzip(
      Path file,
      HopContext hop,
      Function<CaptureInterface, HopContext> hopForInterface,
      long windowBytes)
      throws CaptureFileException {
    Path plain;
    try {
      plain = Files.createTempFile("hoptrace-gunzip-", ".cap");
    } catch (IOException e) {
      throw new CaptureFileException(
          file
              + ": gzip-compressed, and no temporary file to decompress it into ("
              + e.getMessage()
              + "); gunzip it first",
          e);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      Files.copy(in, plain, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteQuietly(plain);
      throw new CaptureFileException(
          file + ": gzip-compressed but cannot be decompressed (" + e.getMessage() + ")", e);
    }
    CaptureFileReader r;
    try {
      r = open(plain, hop, hopForInterface, windowBytes);
    } catch (CaptureFileException e) {
      deleteQuietly(plain);
      throw new CaptureFileException(
          e.getMessage().replace(plain.toString(), file + " (gzip-decompressed)"), e);
    }
    try {
      Files.delete(plain); // mapped and open: the data stays readable until close
      r.nameAs(file, null);
    } catch (IOException e) {
      r.nameAs(file, plain);
    }
    return r;
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temporary file left behind
    }
  }

  static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}
