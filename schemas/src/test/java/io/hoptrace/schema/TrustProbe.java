package io.hoptrace.schema;

/**
 * Run in a fresh JVM without {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}: shows that plain Avro
 * refuses the generated classes and that {@link AvroSerde} decodes them anyway.
 */
public final class TrustProbe {

  private TrustProbe() {}

  public static void main(String[] args) throws Exception {
    System.out.println("flag=" + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"));
    byte[] bytes = PacketSummary.getEncoder().encode(Fixtures.vxlanTcpSummary()).array();
    try {
      PacketSummary.getDecoder().decode(bytes);
      System.out.println("plain-avro=decoded");
    } catch (SecurityException | org.apache.avro.AvroRuntimeException e) {
      System.out.println("plain-avro=refused " + e.getMessage());
    }
    PacketSummary back = AvroSerde.packetSummary().decode(bytes);
    System.out.println(
        "serde=" + (back.equals(Fixtures.vxlanTcpSummary()) ? "decoded" : "differs"));
  }
}
