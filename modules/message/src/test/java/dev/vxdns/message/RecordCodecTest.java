package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The component types the exchange's groups do not use today, and the ones it refuses. */
class RecordCodecTest {
  record Sample(
      int count, boolean on, boolean off, Outcome outcome, String absent, List<String> names) {}

  record Unsupported(Map<String, String> map) {}

  @Test
  void roundTripsIntsBooleansEnumsAndNulls() throws Exception {
    RecordCodec<Sample> codec = RecordCodec.of(Sample.class);
    Sample sample = new Sample(-7, true, false, Outcome.CLOSE, null, List.of("a", ""));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    codec.write(new DataOutputStream(bytes), sample);
    // one flag byte, the int, the enum, the list (count + 2 strings)
    assertEquals(1 + 4 + 1 + (2 + 3 + 2), bytes.size());
    assertEquals(
        sample, codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    JsonObject json = new JsonObject(codec.toJson(sample).encode());
    assertEquals(-7, json.getInteger("count"));
    assertEquals("CLOSE", json.getString("outcome"));
    assertEquals(sample, codec.fromJson(json));
    assertEquals(List.of("count", "on", "off", "outcome", "absent", "names"), codec.names());
  }

  @Test
  void refusesATypeItCannotCarry() {
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> RecordCodec.of(Unsupported.class));
    assertEquals(true, error.getMessage().contains("Unsupported.map"), error.getMessage());
  }
}
