package dev.vxdns.message;

import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Message;

/**
 * Writes and reads one record class, component by component, in the exchange's binary and JSON
 * forms: the codecs of {@link DnsExchange} follow its groups' components without naming them, so a
 * new component is declared once. The components are looked up once per record class (cached), and
 * a record with a component of a type this codec cannot carry fails as soon as it is first used.
 *
 * <p>Binary: {@code ceil(n / 8)} flag bytes, one bit per component in declaration order (a
 * reference component's bit says it is present, a boolean's bit is its value), then each present
 * value in order, without names. JSON: an object keyed by component name, absent values null.
 *
 * <table>
 *   <caption>Component types</caption>
 *   <tr><th>type</th><th>binary</th><th>JSON</th></tr>
 *   <tr><td>String</td><td>u16 length + UTF-8</td><td>string</td></tr>
 *   <tr><td>boolean</td><td>its flag bit</td><td>boolean</td></tr>
 *   <tr><td>int</td><td>s32</td><td>number</td></tr>
 *   <tr><td>enum</td><td>u8 ordinal</td><td>constant name</td></tr>
 *   <tr><td>byte[]</td><td>u32 length + bytes</td><td>base64</td></tr>
 *   <tr><td>InetSocketAddress</td><td>u8 length (4|16) + address + u16 port</td>
 *       <td>{@code "ip:port"}, {@code "[v6]:port"}</td></tr>
 *   <tr><td>List&lt;String&gt;</td><td>u16 count + strings</td><td>array of strings</td></tr>
 *   <tr><td>dnsjava Message</td><td>as byte[], its wire form</td><td>base64 wire form</td></tr>
 *   <tr><td>ProxyHeader</td><td>as byte[], its PROXY v2 encoding</td><td>base64 encoding</td></tr>
 * </table>
 */
final class RecordCodec<R extends Record> {
  /** The largest byte array read back: a DNS message with some room, or the largest header. */
  static final int MAX_BLOB = 65535 + 1024;

  private static final ClassValue<RecordCodec<?>> CACHE =
      new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordCodec<?> computeValue(Class<?> type) {
          return new RecordCodec(type.asSubclass(Record.class));
        }
      };

  /** Decodes the PROXY headers carried in exchanges: any size a header can have. */
  private static final ProxyDecoder HEADERS =
      ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH);

  private final Class<R> type;
  private final List<Component> components;
  private final MethodHandle constructor;
  private final int flagBytes;

  private RecordCodec(Class<R> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    this.type = type;
    RecordComponent[] declared = type.getRecordComponents();
    List<Component> list = new ArrayList<>(declared.length);
    Class<?>[] parameterTypes = new Class<?>[declared.length];
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      for (int i = 0; i < declared.length; i++) {
        RecordComponent c = declared[i];
        parameterTypes[i] = c.getType();
        MethodHandle accessor =
            lookup
                .unreflect(c.getAccessor())
                .asType(MethodType.methodType(Object.class, Record.class));
        list.add(new Component(c.getName(), kindOf(type, c), c.getType(), accessor));
      }
      this.constructor =
          lookup
              .unreflectConstructor(type.getDeclaredConstructor(parameterTypes))
              .asSpreader(Object[].class, declared.length)
              .asType(MethodType.methodType(Record.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " must be a public record with public accessors", e);
    }
    this.components = List.copyOf(list);
    this.flagBytes = (declared.length + 7) / 8;
  }

  /** The codec of a record class, built once per class. */
  @SuppressWarnings("unchecked")
  static <R extends Record> RecordCodec<R> of(Class<R> type) {
    return (RecordCodec<R>) CACHE.get(type);
  }

  /** The component names in declaration order. */
  List<String> names() {
    return components.stream().map(Component::name).toList();
  }

  void write(DataOutputStream out, R value) throws IOException {
    Object[] values = new Object[components.size()];
    byte[] flags = new byte[flagBytes];
    for (int i = 0; i < values.length; i++) {
      Component c = components.get(i);
      values[i] = c.get(value);
      boolean bit = c.kind == Kind.BOOLEAN ? (Boolean) values[i] : values[i] != null;
      if (bit) {
        flags[i >>> 3] |= (byte) (1 << (i & 7));
      }
    }
    out.write(flags);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null && components.get(i).kind != Kind.BOOLEAN) {
        components.get(i).kind.write(out, values[i]);
      }
    }
  }

  R read(DataInputStream in) throws IOException {
    byte[] flags = readExactly(in, flagBytes);
    Object[] values = new Object[components.size()];
    for (int i = 0; i < values.length; i++) {
      Component c = components.get(i);
      boolean bit = (flags[i >>> 3] & (1 << (i & 7))) != 0;
      if (c.kind == Kind.BOOLEAN) {
        values[i] = bit;
      } else if (bit) {
        values[i] = c.kind.read(in, c.type);
      } else if (c.type.isPrimitive()) {
        throw new IOException(type.getSimpleName() + "." + c.name + " missing");
      }
    }
    return construct(values);
  }

  JsonObject toJson(R value) {
    JsonObject json = new JsonObject();
    for (Component c : components) {
      Object v = c.get(value);
      json.put(c.name, v == null ? null : c.kind.toJson(v));
    }
    return json;
  }

  /**
   * Reads the JSON form: a missing or null value is null (false for a boolean); the record's own
   * constructor decides which components it requires.
   */
  R fromJson(JsonObject json) throws IOException {
    Object[] values = new Object[components.size()];
    for (int i = 0; i < values.length; i++) {
      Component c = components.get(i);
      Object v = json.getValue(c.name);
      if (v == null) {
        if (c.kind == Kind.BOOLEAN) {
          values[i] = false;
        } else if (c.type.isPrimitive()) {
          throw new IOException(type.getSimpleName() + "." + c.name + " missing");
        }
      } else {
        values[i] = c.kind.fromJson(v, c.type);
      }
    }
    return construct(values);
  }

  @SuppressWarnings("unchecked")
  private R construct(Object[] values) {
    try {
      return (R) (Record) constructor.invokeExact(values);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private record Component(String name, Kind kind, Class<?> type, MethodHandle accessor) {
    Object get(Record value) {
      try {
        return (Object) accessor.invokeExact(value);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Kind kindOf(Class<?> record, RecordComponent c) {
    Class<?> t = c.getType();
    if (t == String.class) {
      return Kind.STRING;
    } else if (t == boolean.class) {
      return Kind.BOOLEAN;
    } else if (t == int.class) {
      return Kind.INT;
    } else if (t.isEnum()) {
      if (t.getEnumConstants().length > 256) {
        throw new IllegalStateException(t + " has too many constants for one byte");
      }
      return Kind.ENUM;
    } else if (t == byte[].class) {
      return Kind.BYTES;
    } else if (t == InetSocketAddress.class) {
      return Kind.ADDRESS;
    } else if (t == Message.class) {
      return Kind.MESSAGE;
    } else if (t == ProxyHeader.class) {
      return Kind.PROXY_HEADER;
    } else if (t == List.class
        && c.getGenericType() instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] == (Type) String.class) {
      return Kind.STRING_LIST;
    }
    throw new IllegalStateException(
        record.getSimpleName()
            + "."
            + c.getName()
            + ": the exchange codecs cannot carry a "
            + c.getGenericType().getTypeName());
  }

  /** How one type of component is written. */
  private enum Kind {
    STRING {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        writeString(out, (String) value);
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        return readString(in);
      }

      @Override
      Object fromJson(Object json, Class<?> type) {
        return (String) json;
      }
    },
    BOOLEAN {
      @Override
      void write(DataOutputStream out, Object value) {
        throw new AssertionError("booleans are flag bits");
      }

      @Override
      Object read(DataInputStream in, Class<?> type) {
        throw new AssertionError("booleans are flag bits");
      }

      @Override
      Object fromJson(Object json, Class<?> type) {
        return (Boolean) json;
      }
    },
    INT {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        out.writeInt((Integer) value);
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        return in.readInt();
      }

      @Override
      Object fromJson(Object json, Class<?> type) {
        return ((Number) json).intValue();
      }
    },
    ENUM {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        out.writeByte(((Enum<?>) value).ordinal());
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        int ordinal = in.readUnsignedByte();
        Object[] constants = type.getEnumConstants();
        if (ordinal >= constants.length) {
          throw new IOException(type.getSimpleName() + " ordinal " + ordinal);
        }
        return constants[ordinal];
      }

      @Override
      Object toJson(Object value) {
        return ((Enum<?>) value).name();
      }

      @Override
      Object fromJson(Object json, Class<?> type) throws IOException {
        String name = ((String) json).toUpperCase(Locale.ROOT);
        for (Object constant : type.getEnumConstants()) {
          if (((Enum<?>) constant).name().equals(name)) {
            return constant;
          }
        }
        throw new IOException("no " + type.getSimpleName() + " named " + json);
      }
    },
    BYTES {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        writeBlob(out, (byte[]) value);
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        return readBlob(in);
      }

      @Override
      Object toJson(Object value) {
        return Base64.getEncoder().encodeToString((byte[]) value);
      }

      @Override
      Object fromJson(Object json, Class<?> type) {
        return Base64.getDecoder().decode((String) json);
      }
    },
    ADDRESS {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        InetSocketAddress address = (InetSocketAddress) value;
        byte[] raw = address.getAddress().getAddress();
        out.writeByte(raw.length);
        out.write(raw);
        out.writeShort(address.getPort());
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        int length = in.readUnsignedByte();
        if (length != 4 && length != 16) {
          throw new IOException("address length " + length);
        }
        InetAddress address = InetAddress.getByAddress(readExactly(in, length));
        return new InetSocketAddress(address, in.readUnsignedShort());
      }

      @Override
      Object toJson(Object value) {
        InetSocketAddress address = (InetSocketAddress) value;
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
      }

      @Override
      Object fromJson(Object json, Class<?> type) throws IOException {
        String text = (String) json;
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
          throw new UnknownHostException("no port in " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
          throw new UnknownHostException("IPv6 addresses are written [address]:port, got " + text);
        }
        if (!host.matches("[0-9a-fA-F.:]+")) {
          throw new UnknownHostException("not an address literal: " + text);
        }
        return new InetSocketAddress(
            InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
      }
    },
    STRING_LIST {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        List<?> list = (List<?>) value;
        if (list.size() > 0xFFFF) {
          throw new IllegalArgumentException("list too long for the exchange codec");
        }
        out.writeShort(list.size());
        for (Object s : list) {
          writeString(out, (String) s);
        }
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        int n = in.readUnsignedShort();
        List<String> list = new ArrayList<>(Math.min(n, 16));
        for (int i = 0; i < n; i++) {
          list.add(readString(in));
        }
        return list;
      }

      @Override
      Object toJson(Object value) {
        return new JsonArray(new ArrayList<>((List<?>) value));
      }

      @Override
      Object fromJson(Object json, Class<?> type) {
        JsonArray array = (JsonArray) json;
        List<String> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
          list.add(array.getString(i));
        }
        return list;
      }
    },
    MESSAGE {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        writeBlob(out, ((Message) value).toWire());
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        return new Message(readBlob(in));
      }

      @Override
      Object toJson(Object value) {
        return Base64.getEncoder().encodeToString(((Message) value).toWire());
      }

      @Override
      Object fromJson(Object json, Class<?> type) throws IOException {
        return new Message(Base64.getDecoder().decode((String) json));
      }
    },
    PROXY_HEADER {
      @Override
      void write(DataOutputStream out, Object value) throws IOException {
        writeBlob(out, ProxyEncoder.encode((ProxyHeader) value));
      }

      @Override
      Object read(DataInputStream in, Class<?> type) throws IOException {
        return header(readBlob(in));
      }

      @Override
      Object toJson(Object value) {
        return Base64.getEncoder().encodeToString(ProxyEncoder.encode((ProxyHeader) value));
      }

      @Override
      Object fromJson(Object json, Class<?> type) throws IOException {
        return header(Base64.getDecoder().decode((String) json));
      }
    };

    abstract void write(DataOutputStream out, Object value) throws IOException;

    abstract Object read(DataInputStream in, Class<?> type) throws IOException;

    /** The JSON value of a non-null value; strings, booleans and numbers as they are. */
    Object toJson(Object value) {
      return value;
    }

    abstract Object fromJson(Object json, Class<?> type) throws IOException;
  }

  private static ProxyHeader header(byte[] bytes) throws IOException {
    DecodeResult result = HEADERS.decode(bytes);
    if (result instanceof DecodeResult.Complete complete && complete.length() == bytes.length) {
      return complete.header();
    }
    throw new IOException("not one PROXY header: " + result);
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "string too long for the exchange codec: " + utf8.length + " bytes");
    }
    out.writeShort(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readExactly(in, in.readUnsignedShort()), StandardCharsets.UTF_8);
  }

  private static void writeBlob(DataOutputStream out, byte[] blob) throws IOException {
    out.writeInt(blob.length);
    out.write(blob);
  }

  private static byte[] readBlob(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_BLOB) {
      throw new IOException("blob length " + length);
    }
    return readExactly(in, length);
  }

  private static byte[] readExactly(DataInputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("truncated: " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }
}
