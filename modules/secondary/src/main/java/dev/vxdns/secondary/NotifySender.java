package dev.vxdns.secondary;

import dev.vxdns.auth.TsigKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;

/**
 * Sends RFC 1996 NOTIFY messages the way BIND 9.20 does ({@code notify_send_toaddr} and {@code
 * notify_done} in lib/dns/zone.c): over UDP, sent up to 3 times 5 seconds apart (BIND's {@code
 * udptimeout} 5 and 2 retries), then, when no answer came, once more over TCP with a 15-second
 * timeout ("retrying over TCP"), or at once when the target's port is unreachable (ICMP: the UDP
 * socket is connected, as BIND's). Unlike BIND, which only logs the RCODE of an answer, a NOTIFY
 * succeeds here only on a NOERROR answer with the same ID, opcode and question (TSIG-verified when
 * signed); an error answer fails at once (asking again would not change a REFUSED or NOTAUTH).
 */
public final class NotifySender {
  /** {@link #prepare}'s NOTIFY: one try of each kind, a second each. */
  private static final Duration PREPARE_TIMEOUT = Duration.ofSeconds(1);

  private static final SOARecord PREPARE_SOA =
      new SOARecord(
          Name.fromConstantString("vxdns-prepare.invalid."),
          DClass.IN,
          0,
          Name.fromConstantString("ns.vxdns-prepare.invalid."),
          Name.fromConstantString("hostmaster.vxdns-prepare.invalid."),
          1,
          0,
          0,
          0,
          0);

  private final Vertx vertx;
  private final Duration udpTimeout;
  private final int udpTries;
  private final Duration tcpTimeout;
  private final SourceAddresses source;

  /** BIND 9.20's timing: 3 UDP tries 5 s apart, then TCP with 15 s. */
  public NotifySender(Vertx vertx) {
    this(vertx, Duration.ofSeconds(5), 3, Duration.ofSeconds(15));
  }

  /**
   * @param udpTimeout how long each UDP try waits
   * @param udpTries how many times the NOTIFY is sent over UDP
   * @param tcpTimeout how long the final TCP try waits; zero to skip TCP
   */
  public NotifySender(Vertx vertx, Duration udpTimeout, int udpTries, Duration tcpTimeout) {
    this(vertx, udpTimeout, udpTries, tcpTimeout, SourceAddresses.ANY);
  }

  private NotifySender(
      Vertx vertx, Duration udpTimeout, int udpTries, Duration tcpTimeout, SourceAddresses source) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.udpTimeout = Objects.requireNonNull(udpTimeout, "udpTimeout");
    this.tcpTimeout = Objects.requireNonNull(tcpTimeout, "tcpTimeout");
    this.source = Objects.requireNonNull(source, "source");
    if (udpTries < 1 || udpTimeout.isZero() || udpTimeout.isNegative()) {
      throw new IllegalArgumentException("udpTries and udpTimeout must be positive");
    }
    this.udpTries = udpTries;
  }

  /**
   * The same sender sending from other local addresses (a zone's {@code notify-source}/{@code
   * -v6}).
   */
  public NotifySender withSource(SourceAddresses zoneSource) {
    return new NotifySender(vertx, udpTimeout, udpTries, tcpTimeout, zoneSource);
  }

  /**
   * Sends one NOTIFY over loopback to a responder of its own that answers it, through the path a
   * real one takes: the first NOTIFY sets up Vert.x's resolver and datagram sockets and loads and
   * links that path's code, 10-30 ms on the event loop that sends it, a loop that also answers
   * queries (README, "Reloading the 1M-record zone"). For a node to call while it starts, before it
   * answers queries. Fails within about two seconds when loopback cannot be used.
   */
  public Future<Void> prepare() {
    NotifySender quick = new NotifySender(vertx, PREPARE_TIMEOUT, 1, PREPARE_TIMEOUT);
    DatagramSocket responder = vertx.createDatagramSocket();
    responder.handler(
        packet -> {
          byte[] answer = packet.data().getBytes();
          if (answer.length >= 12) {
            answer[2] |= (byte) 0x80; // QR: the query's own bytes answer it, NOERROR
            responder.send(Buffer.buffer(answer), packet.sender().port(), packet.sender().host());
          }
        });
    return responder
        .listen(0, "127.0.0.1")
        .compose(
            bound ->
                quick.notify(
                    new InetSocketAddress("127.0.0.1", bound.localAddress().port()),
                    PREPARE_SOA.getName(),
                    PREPARE_SOA,
                    null))
        .eventually(responder::close);
  }

  /**
   * RFC 1996 NOTIFY (opcode NOTIFY, AA, question zone SOA IN, the new SOA in the answer section) to
   * {@code target}, TSIG-signed when {@code key != null}. Succeeds on a NOERROR answer; fails with
   * a {@link TransferException} on an error answer, a bad or missing TSIG on the answer, or no
   * answer after the last try.
   */
  public Future<Void> notify(InetSocketAddress target, Name zone, SOARecord soa, TsigKey key) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(soa, "soa");
    String where =
        "NOTIFY for "
            + zone
            + " serial "
            + soa.getSerial()
            + " to "
            + target.getAddress().getHostAddress()
            + "#"
            + target.getPort()
            + (key != null ? " key " + key.name() : "");
    SignedQuery notify = SignedQuery.notify(zone, soa, key);
    Future<byte[]> reply =
        UdpExchange.run(
            vertx, target, notify.wire, udpTimeout, udpTries, notify::isAnsweredBy, source, where);
    if (!tcpTimeout.isZero()) {
      reply = reply.recover(udpFailure -> overTcp(target, notify, where, udpFailure));
    }
    return reply.compose(
        bytes -> {
          try {
            Message answer = notify.verifiedAnswer(bytes, where);
            if (answer.getRcode() != Rcode.NOERROR) {
              return Future.failedFuture(
                  new TransferException(where + ": answered " + Rcode.string(answer.getRcode())));
            }
            return Future.succeededFuture();
          } catch (TransferException e) {
            return Future.failedFuture(e);
          }
        });
  }

  private Future<byte[]> overTcp(
      InetSocketAddress target, SignedQuery notify, String where, Throwable udpFailure) {
    byte[][] answer = new byte[1][];
    return StreamExchange.run(
            vertx,
            Primary.tcp(target, null),
            notify.wire,
            tcpTimeout,
            TransferLimits.defaults(),
            source,
            message -> {
              if (!notify.isAnsweredBy(message)) {
                throw new TransferException(where + " over TCP: the answer does not match");
              }
              answer[0] = message;
              return true;
            },
            where + " over TCP")
        .map(done -> answer[0])
        .recover(
            tcpFailure ->
                Future.failedFuture(
                    new TransferException(
                        udpFailure.getMessage() + "; then " + tcpFailure.getMessage(),
                        tcpFailure)));
  }
}
