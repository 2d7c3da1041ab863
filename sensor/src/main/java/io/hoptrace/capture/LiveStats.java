package io.hoptrace.capture;

/**
 * A snapshot of one live capture source.
 *
 * @param hop the hop the source reports packets as
 * @param received packets the kernel passed to the capture ({@code ps_recv}; -1 when unknown)
 * @param dropped packets dropped for lack of buffer space ({@code ps_drop}; -1 when unknown)
 * @param ifDropped packets dropped by the interface or driver ({@code ps_ifdrop}; -1 when unknown)
 * @param delivered packets handed to the {@link PacketHandler}
 * @param handlerErrors packets whose handler threw (counted, the capture goes on)
 * @param running whether the capture thread is still running
 * @param error why the source stopped on its own, or null
 */
public record LiveStats(
    HopContext hop,
    long received,
    long dropped,
    long ifDropped,
    long delivered,
    long handlerErrors,
    boolean running,
    String error) {}
