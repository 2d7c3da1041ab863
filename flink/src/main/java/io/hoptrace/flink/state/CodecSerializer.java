package io.hoptrace.flink.state;

import io.hoptrace.detect.state.Codec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A Flink {@link TypeSerializer} over one of the core's codecs: a length, then the codec's bytes.
 * Format evolution is the codec's (each value starts with its own version), so a restored
 * serializer of the same {@link StateCodec} is always compatible as is.
 */
public final class CodecSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private final StateCodec kind;
  private transient Codec<T> codec;

  CodecSerializer(StateCodec kind) {
    this.kind = kind;
  }

  private Codec<T> codec() {
    if (codec == null) {
      codec = kind.codec();
    }
    return codec;
  }

  @Override
  public boolean isImmutableType() {
    return kind.immutable();
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public T copy(T from) {
    if (from == null || kind.immutable()) {
      return from;
    }
    return codec().decode(codec().encode(from));
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T value, DataOutputView out) throws IOException {
    byte[] b = codec().encode(value);
    out.writeInt(b.length);
    out.write(b);
  }

  @Override
  public T deserialize(DataInputView in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return codec().decode(b);
  }

  @Override
  public T deserialize(T reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    int n = in.readInt();
    out.writeInt(n);
    out.write(in, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CodecSerializer<?> s && s.kind == kind;
  }

  @Override
  public int hashCode() {
    return kind.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(kind);
  }

  /** What a checkpoint records of the serializer: the {@link StateCodec} name. */
  public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private StateCodec kind;

    /** For Flink's restore (reads the name with {@link #readSnapshot}). */
    public Snapshot() {}

    Snapshot(StateCodec kind) {
      this.kind = kind;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(kind.name());
    }

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader loader) throws IOException {
      String name = in.readUTF();
      try {
        kind = StateCodec.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IOException("checkpoint holds state of unknown type " + name, e);
      }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return new CodecSerializer<>(kind);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
        TypeSerializerSnapshot<T> old) {
      return old instanceof Snapshot<?> s && s.kind == kind
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
