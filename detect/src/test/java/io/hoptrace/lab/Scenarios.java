package io.hoptrace.lab;

import static io.hoptrace.lab.Lab.*;
import static io.hoptrace.lab.Pkt.*;

import java.util.List;

/** The SPEC section 1 scenarios as synthetic multi-hop packet sequences. */
public final class Scenarios {
  private Scenarios() {}

  /** Two-node TCP handshake, request, response and close, plus a ping, all hops both ways. */
  public static void healthy(Harness h, Lab lab, int sport, double t0) {
    h.send(lab.over(tcp(POD_A, sport, POD_B, 80, SYN, 100, 0, 0), sec(t0), A_TO_B));
    h.send(lab.over(tcp(POD_B, 80, POD_A, sport, SYN | ACK, 500, 101, 0), sec(t0 + 0.001), B_TO_A));
    h.send(lab.over(tcp(POD_A, sport, POD_B, 80, ACK, 101, 501, 0), sec(t0 + 0.002), A_TO_B));
    h.send(
        lab.over(tcp(POD_A, sport, POD_B, 80, ACK | PSH, 101, 501, 100), sec(t0 + 0.003), A_TO_B));
    h.send(
        lab.over(tcp(POD_B, 80, POD_A, sport, ACK | PSH, 501, 201, 300), sec(t0 + 0.004), B_TO_A));
    h.send(lab.over(tcp(POD_A, sport, POD_B, 80, ACK | FIN, 201, 801, 0), sec(t0 + 0.005), A_TO_B));
    h.send(lab.over(tcp(POD_B, 80, POD_A, sport, ACK | FIN, 801, 202, 0), sec(t0 + 0.006), B_TO_A));
    h.send(lab.over(tcp(POD_A, sport, POD_B, 80, ACK, 202, 802, 0), sec(t0 + 0.007), A_TO_B));
    h.send(lab.over(echoRequest(POD_A, POD_B, sport, 1), sec(t0 + 1), A_TO_B));
    h.send(lab.over(echoReply(POD_B, POD_A, sport, 1), sec(t0 + 1.001), B_TO_A));
  }

  /** SYN and its retransmissions seen up to node-a's uplink, never on node-b. */
  public static void vxlanBlocked(Harness h, Lab lab, int sport, double t0) {
    List<Hop> toUplink = A_TO_B.subList(0, 5);
    for (double t : new double[] {0, 1, 3, 7}) {
      h.send(lab.over(tcp(POD_A, sport, POD_B, 80, SYN, 100, 0, 0), sec(t0 + t), toUplink));
    }
  }

  /** Outer source of node-b's encapsulation is a second address node-a does not accept. */
  public static void dualIp(Harness h, Lab lab, double t0) {
    lab.nodeBEncapsulatesFrom("192.168.232.131");
    List<Hop> replyPath = B_TO_A.subList(0, 6); // reaches node-a's uplink, never its VTEP
    for (double t : new double[] {0, 1, 3, 7}) {
      h.send(lab.over(tcp(POD_A, 40100, POD_B, 80, SYN, 100, 0, 0), sec(t0 + t), A_TO_B));
      h.send(
          lab.over(
              tcp(POD_B, 80, POD_A, 40100, SYN | ACK, 900, 101, 0),
              sec(t0 + t + 0.001),
              replyPath));
    }
  }
}
