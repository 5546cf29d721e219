package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.vxdns.message.DnsResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** DoQ's pure rules: 0-RTT refusals, response padding, Retry tokens. */
class DoqRulesTest {
  private static Message query(String name, int type, boolean padded) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(0);
    query.addRecord(
        new OPTRecord(
            1232,
            0,
            0,
            0,
            padded
                ? List.<EDNSOption>of(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[8]))
                : List.of()),
        Section.ADDITIONAL);
    return query;
  }

  /** RFC 9250 section 4.5: only replayable queries are answered from 0-RTT data. */
  @Test
  void earlyDataAnswersOnlyPlainQueries() throws Exception {
    assertNull(DoqStream.refusedInEarlyData(query("a.test.", Type.A, false).toWire(), 1232));
    for (Message notReplayable :
        List.of(query("a.test.", Type.AXFR, false), query("a.test.", Type.IXFR, false))) {
      Message refused = DoqStream.refusedInEarlyData(notReplayable.toWire(), 1232);
      assertNotNull(refused);
      assertEquals(Rcode.REFUSED, refused.getRcode());
      ExtendedErrorCodeOption ede =
          (ExtendedErrorCodeOption)
              refused.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0);
      assertEquals(DoqStream.EDE_TOO_EARLY, ede.getErrorCode());
    }
    Message update = query("a.test.", Type.SOA, false);
    update.getHeader().setOpcode(Opcode.UPDATE);
    assertEquals(Rcode.REFUSED, DoqStream.refusedInEarlyData(update.toWire(), 1232).getRcode());
    assertNull(
        DoqStream.refusedInEarlyData(new byte[] {0, 0, 1}, 1232), "unparseable: the pipeline's");
  }

  /** RFC 7830/8467: padded to 468-byte blocks only when the query carries the option. */
  @Test
  void responsesArePaddedToBlocksOnlyWhenAsked() throws Exception {
    Message asked = query("www.example.test.", Type.A, true);
    Message response = DnsResponses.responseTo(asked, 1232);
    Message padded = EdnsPadding.pad(asked, response);
    assertEquals(EdnsPadding.RESPONSE_BLOCK, padded.toWire().length);
    Message plain = query("www.example.test.", Type.A, false);
    Message unpadded = DnsResponses.responseTo(plain, 1232);
    assertSame(unpadded, EdnsPadding.pad(plain, unpadded));
  }

  /** A Retry token validates for its address only, and only while a flood asks for one. */
  @Test
  void retryTokensAreBoundToTheAddressAndIssuedOnlyUnderAFlood() {
    boolean[] flood = {false};
    int[] issued = {0};
    RetryTokens tokens = new RetryTokens(() -> flood[0], () -> issued[0]++);
    InetSocketAddress client = new InetSocketAddress("192.0.2.1", 4433);
    ByteBuf dcid = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    ByteBuf token = Unpooled.buffer();
    assertEquals(false, tokens.writeToken(token, dcid, client));
    flood[0] = true;
    assertEquals(true, tokens.writeToken(token, dcid, client));
    assertEquals(1, issued[0]);
    assertEquals(40, tokens.validateToken(token.slice(), client));
    assertEquals(-1, tokens.validateToken(token.slice(), new InetSocketAddress("192.0.2.2", 4433)));
    assertEquals(-1, tokens.validateToken(token.slice(), new InetSocketAddress("192.0.2.1", 4434)));
    token.setByte(20, token.getByte(20) ^ 1);
    assertEquals(-1, tokens.validateToken(token.slice(), client));
  }
}
