package dev.vxdns.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * dig's command line as vxdns dig reads it, checked on the query that reaches a UDP socket of the
 * test's (flags, EDNS options, ECS) and on the output for the response the test sends back.
 */
class DigTest {
  record Run(int status, String output, Message query) {}

  /** Runs vxdns dig against a socket that answers the query it receives with {@code answer}. */
  static Run against(java.util.function.Function<Message, Message> answer, String... args)
      throws Exception {
    try (DatagramSocket server =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      server.setSoTimeout(10_000);
      CompletableFuture<Message> received =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  DatagramPacket packet = new DatagramPacket(new byte[65535], 65535);
                  server.receive(packet);
                  Message query =
                      new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                  byte[] reply = answer.apply(query).toWire();
                  server.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                  return query;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      List<String> command =
          new java.util.ArrayList<>(
              List.of("@127.0.0.1", "-p", Integer.toString(server.getLocalPort())));
      command.addAll(List.of(args));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      int status = new Dig(out, out).run(command);
      return new Run(
          status, bytes.toString(StandardCharsets.UTF_8), received.get(10, TimeUnit.SECONDS));
    }
  }

  static Message answerWithA(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    try {
      response.addRecord(
          new ARecord(query.getQuestion().getName(), 1, 300, InetAddress.getByName("192.0.2.1")),
          Section.ANSWER);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    response.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(18, "just a test"))),
        Section.ADDITIONAL);
    return response;
  }

  @Test
  void queryOptionsReachTheWire() throws Exception {
    Run run =
        against(
            DigTest::answerWithA,
            "www.example.test",
            "aaaa",
            "+norec",
            "+cd",
            "+dnssec",
            "+bufsize=4096",
            "+subnet=192.0.2.0/24",
            "+nsid",
            "+ednsopt=65001:beef");
    assertEquals(0, run.status(), run.output());
    Message query = run.query();
    assertEquals(Type.AAAA, query.getQuestion().getType());
    assertFalse(query.getHeader().getFlag(Flags.RD), "+norec");
    assertTrue(query.getHeader().getFlag(Flags.CD), "+cd (a unique prefix of cdflag)");
    assertTrue(query.getHeader().getFlag(Flags.AD), "dig sets AD by default");
    OPTRecord opt = query.getOPT();
    assertNotNull(opt);
    assertEquals(4096, opt.getPayloadSize());
    assertTrue((opt.getFlags() & Flags.DO) != 0, "+dnssec");
    ClientSubnetOption ecs =
        (ClientSubnetOption) opt.getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0);
    assertEquals("192.0.2.0", ecs.getAddress().getHostAddress());
    assertEquals(24, ecs.getSourcePrefixLength());
    assertEquals(1, opt.getOptions(EDNSOption.Code.NSID).size());
    assertEquals(
        "fde90002beef",
        java.util.HexFormat.of().formatHex(opt.getOptions(65001).get(0).toWire()),
        "+ednsopt=CODE:HEX");
    String out = run.output();
    assertTrue(
        out.contains(
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: " + query.getHeader().getID()),
        out);
    assertTrue(
        out.contains(";; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1"), out);
    assertTrue(out.contains("; EDE: 18 (just a test)"), out);
    assertTrue(
        out.matches(
            "(?s).*;; ANSWER SECTION:\nwww\\.example\\.test\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.1\n.*"),
        out);
    assertTrue(out.contains(";; SERVER: 127.0.0.1#"), out);
    assertTrue(out.contains("(UDP)"), out);
  }

  @Test
  void shortOutputAndNoEdns() throws Exception {
    Run run = against(DigTest::answerWithA, "+short", "+noedns", "a.example");
    assertEquals(0, run.status());
    assertEquals("192.0.2.1\n", run.output());
    assertEquals(null, run.query().getOPT(), "+noedns");
  }

  @Test
  void tsigFromABindKeyFileSignsTheQuery(@TempDir Path dir) throws Exception {
    Path keyFile =
        Files.writeString(
            dir.resolve("k.key"),
            "# written by tsig-keygen\nkey \"k1\" {\n\talgorithm hmac-sha512;\n\tsecret \"c2VjcmV0LWtleQ==\";\n};\n");
    Run run = against(DigTest::answerWithA, "-k", keyFile.toString(), "a.example");
    assertNotNull(run.query().getTSIG(), "signed");
    assertEquals(Name.fromString("k1."), run.query().getTSIG().getName());
    assertEquals(TSIG.HMAC_SHA512, run.query().getTSIG().getAlgorithm());
    // the test's unsigned answer cannot be verified, and dig says so
    assertTrue(run.output().contains("Couldn't verify signature: FORMERR"), run.output());
    // the JSON vxdns tsig-keygen --file writes
    dev.vxdns.auth.TsigKey generated =
        dev.vxdns.auth.TsigKeys.generate(
            "json-key.", "hmac-sha384", new java.security.SecureRandom());
    Path jsonFile =
        Files.writeString(dir.resolve("json.key"), dev.vxdns.auth.TsigKeys.toJson(generated));
    Run json = against(DigTest::answerWithA, "-k", jsonFile.toString(), "a.example");
    assertEquals(Name.fromString("json-key."), json.query().getTSIG().getName());
    assertEquals(TSIG.HMAC_SHA384, json.query().getTSIG().getAlgorithm());
    Run argument =
        against(DigTest::answerWithA, "-y", "hmac-sha256:k2:c2VjcmV0LWtleQ==", "a.example");
    assertEquals(Name.fromString("k2."), argument.query().getTSIG().getName());
    assertEquals(TSIG.HMAC_SHA256, argument.query().getTSIG().getAlgorithm());
  }

  @Test
  void usageErrorsAndUnreachableServers() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Dig dig = new Dig(out, out);
    assertEquals(1, dig.run(List.of("+bogus", "a.example")));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("invalid option: +bogus"));
    assertEquals(1, new Dig(out, out).run(List.of("+proxy=192.0.2.1-2001:db8::1", "a.example")));
    assertEquals(1, new Dig(out, out).run(List.of("+subnet=10.0.0.0/33", "a.example")));
    assertEquals(1, new Dig(out, out).run(List.of("-y", "justaname", "a.example")));
    int closed;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    bytes.reset();
    assertEquals(
        9,
        new Dig(out, out)
            .run(
                List.of(
                    "@127.0.0.1", "-p", Integer.toString(closed), "+tcp", "+time=2", "a.example")));
    assertTrue(
        bytes.toString(StandardCharsets.UTF_8).contains("connection refused"), bytes.toString());
  }
}
