package dev.vxdns.message;

/** What the transport does with an exchange once the chain is done with it. */
public enum Outcome {
  /** No stage has decided yet: the next stage runs. */
  CONTINUE,
  /** Send {@link DnsExchange.Reply#response()} to the client. */
  RESPOND,
  /** Send nothing (blackhole, QR=1 packets, unacceptable PROXY headers on UDP). */
  DROP,
  /** Send nothing and close the connection (stream transports); equal to DROP on UDP. */
  CLOSE
}
