package io.hoptrace.streams;

import io.hoptrace.schema.AvroSerde;
import io.hoptrace.schema.PacketSummary;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads packet summaries written with the current schema through the generated class's
 * straight-line {@code customDecode} over an array-backed decoder (Avro's message decoder walks the
 * schema generically and reads the bytes one at a time, which was a quarter of the stream thread's
 * time). Records of any other writer schema, and tombstones, go to {@link AvroSerde}'s
 * deserializer, which resolves them through the schema history. Same objects either way.
 * Thread-safe (Kafka Streams shares a source's deserializer between stream threads).
 */
final class PacketSummaryDeserializer implements Deserializer<PacketSummary> {
  private final AvroSerde<PacketSummary> serde;
  private final byte[] header = new byte[AvroSerde.HEADER_LENGTH];
  private final SpecificDatumReader<PacketSummary> reader;
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  PacketSummaryDeserializer(AvroSerde<PacketSummary> serde) {
    this.serde = serde;
    long fp = serde.fingerprint();
    header[0] = (byte) 0xC3;
    header[1] = (byte) 0x01;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fp >>> (8 * i));
    }
    SpecificData model = new SpecificData(PacketSummary.class.getClassLoader());
    model.setCustomCoders(true);
    model.setFastReaderEnabled(false);
    this.reader = new SpecificDatumReader<>(serde.schema(), serde.schema(), model);
  }

  private boolean current(byte[] data) {
    if (data.length < header.length) {
      return false;
    }
    for (int i = 0; i < header.length; i++) {
      if (data[i] != header[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public PacketSummary deserialize(String topic, byte[] data) {
    if (data == null || !current(data)) {
      return serde.deserializer().deserialize(topic, data);
    }
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(data, header.length, data.length - header.length, decoders.get());
      decoders.set(decoder);
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode packet summary: " + e.getMessage(), e);
    }
  }
}
