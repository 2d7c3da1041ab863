package io.hoptrace.spool;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The bytes of the spool's files ({@link Spool} describes the layout): a record {@code [int payload
 * length][int CRC-32 of payload][long append ms][byte kind][int key length or -1][key] [value]},
 * and small files replaced atomically.
 */
final class SpoolFormat {

  private SpoolFormat() {}

  /** A record read, and the bytes it takes in its segment. */
  record Read(Spool.Entry entry, int size) {}

  /** Writes one record at {@code buf}'s position (which must have room for it). */
  static void put(ByteBuffer buf, CRC32 crc, long now, byte kind, byte[] key, byte[] value) {
    int start = buf.position();
    int payload = Spool.MIN_PAYLOAD + (key == null ? 0 : key.length) + value.length;
    buf.putInt(payload).putInt(0).putLong(now).put(kind);
    if (key == null) {
      buf.putInt(-1);
    } else {
      buf.putInt(key.length).put(key);
    }
    buf.put(value);
    crc.reset();
    crc.update(buf.array(), start + Spool.HEADER, payload);
    buf.putInt(start + 4, (int) crc.getValue());
  }

  /** Reads the record at {@code offset} of {@code file}, checked. */
  static Read read(RandomAccessFile file, long offset, Path path) throws IOException {
    file.seek(offset);
    int length = file.readInt();
    int sum = file.readInt();
    if (length < Spool.MIN_PAYLOAD || length > Spool.MAX_PAYLOAD) {
      throw new IOException(path + " at " + offset + ": bad length " + length);
    }
    byte[] bytes = new byte[length];
    file.readFully(bytes);
    CRC32 check = new CRC32();
    check.update(bytes);
    if ((int) check.getValue() != sum) {
      throw new IOException(path + " at " + offset + ": CRC mismatch");
    }
    ByteBuffer payload = ByteBuffer.wrap(bytes);
    long at = payload.getLong();
    byte kind = payload.get();
    int keyLength = payload.getInt();
    String key = null;
    if (keyLength >= 0) {
      key = new String(bytes, payload.position(), keyLength, StandardCharsets.UTF_8);
      payload.position(payload.position() + keyLength);
    }
    byte[] value = new byte[payload.remaining()];
    payload.get(value);
    return new Read(new Spool.Entry(kind, key, value, at), Spool.HEADER + length);
  }

  /**
   * Counts a segment's whole records from its start: {@code {records, bytes}}. It stops at the
   * first record cut short or failing its CRC (torn: what follows is not trusted).
   */
  static long[] scan(Path segment) throws IOException {
    long records = 0;
    long valid = 0;
    CRC32 check = new CRC32();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(segment), 1 << 16))) {
      while (true) {
        int length;
        int sum;
        try {
          length = in.readInt();
          sum = in.readInt();
        } catch (EOFException e) {
          break;
        }
        if (length < Spool.MIN_PAYLOAD || length > Spool.MAX_PAYLOAD) {
          break;
        }
        byte[] payload = new byte[length];
        if (in.readNBytes(payload, 0, length) < length) {
          break;
        }
        check.reset();
        check.update(payload);
        if ((int) check.getValue() != sum) {
          break;
        }
        valid += Spool.HEADER + length;
        records++;
      }
    }
    return new long[] {records, valid};
  }

  /** The id in {@code file}, made (a UUID) and written if there is none. */
  static String readOrMakeId(Path file) throws IOException {
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    String id = UUID.randomUUID().toString();
    replaceAtomically(file, id + "\n");
    return id;
  }

  /** Replaces {@code file} by {@code text}: a temporary file written, fsync'ed, renamed. */
  static void replaceAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
