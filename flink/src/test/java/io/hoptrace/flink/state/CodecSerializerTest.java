package io.hoptrace.flink.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hoptrace.detect.FingerprintEntry;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CodecSerializerTest {
  @Test
  void valuesRoundTripThroughTheCoresCodec() throws IOException {
    CodecSerializer<FingerprintEntry> s = StateCodec.FINGERPRINT.serializer();
    FingerprintEntry e = new FingerprintEntry("6|10.0.0.1|1|10.0.0.2|80", "node-a", 42L, true);
    DataOutputSerializer out = new DataOutputSerializer(64);
    s.serialize(e, out);
    s.serialize(e, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(s.deserialize(in)).isEqualTo(e);
    DataOutputSerializer copy = new DataOutputSerializer(64);
    s.copy(in, copy);
    assertThat(s.deserialize(new DataInputDeserializer(copy.getCopyOfBuffer()))).isEqualTo(e);
  }

  @Test
  void aCheckpointFindsTheSerializerAgainByName() throws IOException {
    TypeSerializerSnapshot<FingerprintEntry> snap =
        StateCodec.FINGERPRINT.<FingerprintEntry>serializer().snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
    TypeSerializerSnapshot<FingerprintEntry> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    TypeSerializer<FingerprintEntry> restored = read.restoreSerializer();
    assertThat(restored).isEqualTo(StateCodec.FINGERPRINT.serializer());
    assertThat(snap.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    assertThat(
            StateCodec.HOP
                .serializer()
                .snapshotConfiguration()
                .resolveSchemaCompatibility((TypeSerializerSnapshot) read)
                .isIncompatible())
        .isTrue();
  }

  @Test
  void unknownStateTypeInACheckpointIsAClearError() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    out.writeUTF("NO_SUCH_STATE");
    assertThatThrownBy(
            () ->
                new CodecSerializer.Snapshot<>()
                    .readSnapshot(1, new DataInputDeserializer(out.getCopyOfBuffer()), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown type NO_SUCH_STATE");
  }
}
