package io.hoptrace.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The broker's fixed client port is taken by another program: the broker did not start. */
public final class PortInUseException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int port;

  PortInUseException(String host, int port, String why) {
    super("port " + port + " on " + host + " is in use (" + why + "); choose another port");
    this.port = port;
  }

  /** The port asked for. */
  public int port() {
    return port;
  }

  /**
   * Checks that {@code host:port} can be listened on, before the broker tries (a failed broker
   * start logs pages of stack traces that never name the port).
   */
  static void check(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
    } catch (IOException e) {
      throw new PortInUseException(host, port, e.getMessage());
    }
  }
}
