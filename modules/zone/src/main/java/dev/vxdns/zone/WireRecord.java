package dev.vxdns.zone;

import java.io.IOException;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;

/**
 * A record whose RDATA BIND accepts but dnsjava's class for its type refuses (GPOS with empty
 * strings): kept as the wire octets, written back as they are and shown in RFC 3597's form.
 */
final class WireRecord extends Record {

  private static final long serialVersionUID = 1L;

  private byte[] data;

  WireRecord(Name name, int type, int dclass, long ttl, byte[] data) {
    super(name, type, dclass, ttl);
    this.data = data.clone();
  }

  @Override
  protected void rrFromWire(DNSInput in) {
    data = in.readByteArray();
  }

  @Override
  protected String rrToString() {
    return unknownToString(data);
  }

  @Override
  protected void rdataFromString(Tokenizer st, Name origin) throws IOException {
    throw new TextParseException("not read from text");
  }

  @Override
  protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
    out.writeByteArray(data);
  }
}
