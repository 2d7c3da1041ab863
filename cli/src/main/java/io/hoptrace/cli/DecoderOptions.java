package io.hoptrace.cli;

import io.hoptrace.decode.DecoderConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** Decoder options shared by the commands that decode packets. */
final class DecoderOptions {

  @Option(
      names = "--vxlan-port",
      paramLabel = "PORT",
      description =
          "UDP destination port carrying VXLAN; repeat for several (default: 4789 and 8472,"
              + " flannel's).")
  List<Integer> vxlanPorts;

  @Option(
      names = "--geneve-port",
      paramLabel = "PORT",
      description = "UDP destination port carrying Geneve (default: 6081).")
  Integer genevePort;

  DecoderConfig config() {
    DecoderConfig d = DecoderConfig.defaults();
    return d.withVxlanPorts(vxlanPorts == null ? d.vxlanPorts() : vxlanPorts)
        .withGenevePort(genevePort == null ? d.genevePort() : genevePort);
  }
}
