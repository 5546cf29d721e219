package dev.vxdns.verticles.metrics;

import dev.vxdns.message.QueryLog;
import dev.vxdns.message.QueryLogEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The query log's one writer thread: takes entries from the {@link QueryLog} queue, formats them as
 * JSON lines and appends them to the file, flushing whenever the queue runs dry, and rotates the
 * file by size ({@code file.1} is the newest old one). Transports never wait for it: when it falls
 * behind, the queue fills and entries are dropped and counted. A write error is logged once, the
 * entry counted as dropped, and the file opened again at the next entry.
 */
final class QueryLogWriter implements Runnable {
  private static final System.Logger LOG = System.getLogger(QueryLogWriter.class.getName());

  /** How long the writer sleeps when the queue is empty: the log's delay at most. */
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final QueryLog log;
  private final MetricsSettings.QueryLogConfig config;
  private final Counter written;
  private final Counter rotations;
  private final Counter failures;
  private final Thread thread;
  private volatile boolean running = true;
  private Writer out;
  private long size;
  private boolean failing;

  QueryLogWriter(QueryLog log, MetricsSettings.QueryLogConfig config, MeterRegistry registry) {
    this.log = log;
    this.config = config;
    this.written =
        Counter.builder("vxdns_querylog_written")
            .description("query log lines written")
            .register(registry);
    this.rotations =
        Counter.builder("vxdns_querylog_rotations")
            .description("query log files rotated by size")
            .register(registry);
    this.failures =
        Counter.builder("vxdns_querylog_write_errors")
            .description("query log entries lost to write errors")
            .register(registry);
    this.thread = new Thread(this, "vxdns-querylog");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Writes what is queued, closes the file and ends the thread (at most {@code millis}). */
  void stop(long millis) throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    thread.join(millis);
  }

  @Override
  public void run() {
    try {
      while (running) {
        if (!drain()) {
          flush();
          LockSupport.parkNanos(IDLE_NANOS);
        }
      }
      drain();
    } finally {
      flush();
      close();
    }
  }

  /** Writes every queued entry; false when there was none. */
  private boolean drain() {
    boolean any = false;
    for (QueryLogEntry entry = log.poll(); entry != null; entry = log.poll()) {
      any = true;
      write(format(entry));
    }
    return any;
  }

  private void write(String line) {
    String text = line + "\n";
    int length = text.getBytes(StandardCharsets.UTF_8).length;
    try {
      if (out == null) {
        open();
      }
      if (size > 0 && size + length > config.maxSize()) {
        rotate();
        open();
      }
      out.write(text);
      size += length;
      written.increment();
      failing = false;
    } catch (IOException e) {
      failures.increment();
      if (!failing) {
        LOG.log(System.Logger.Level.ERROR, "query log {0}: {1}", config.file(), e.toString());
        failing = true;
      }
      close();
    }
  }

  private void open() throws IOException {
    Path parent = config.file().toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    out =
        Files.newBufferedWriter(
            config.file(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    size = Files.size(config.file());
  }

  /** file.(N-1) becomes file.N, ..., file becomes file.1; with no versions kept, it is emptied. */
  private void rotate() throws IOException {
    close();
    Path file = config.file();
    if (config.versions() == 0) {
      Files.deleteIfExists(file);
    } else {
      Files.deleteIfExists(version(config.versions()));
      for (int i = config.versions() - 1; i >= 1; i--) {
        if (Files.exists(version(i))) {
          Files.move(version(i), version(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(file, version(1), StandardCopyOption.REPLACE_EXISTING);
    }
    rotations.increment();
  }

  private Path version(int n) {
    return config.file().resolveSibling(config.file().getFileName() + "." + n);
  }

  private void flush() {
    if (out == null) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      failures.increment();
      close();
    }
  }

  private void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "query log {0}: {1}", config.file(), e.toString());
    }
    out = null;
  }

  /** One JSON line; BIND's address#port notation for endpoints. */
  static String format(QueryLogEntry entry) {
    JsonObject line =
        new JsonObject()
            .put("time", Instant.ofEpochMilli(entry.epochMillis()).toString())
            .put("transport", entry.transport().configName())
            .put("listener", entry.listener())
            .put("real-source", endpoint(entry.realSource()))
            .put("real-destination", endpoint(entry.realDestination()))
            .put("source", endpoint(entry.effectiveSource()))
            .put("destination", endpoint(entry.effectiveDestination()))
            .put("proxy", entry.proxied())
            .put("key", entry.keyName())
            .put("qname", entry.qname())
            .put("qtype", entry.qtype() < 0 ? null : Type.string(entry.qtype()))
            .put("rcode", entry.rcode() < 0 ? null : Rcode.string(entry.rcode()))
            .put("size", entry.size())
            .put("latency-us", TimeUnit.NANOSECONDS.toMicros(entry.latencyNanos()));
    return line.encode();
  }

  private static String endpoint(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + "#" + address.getPort();
  }
}
