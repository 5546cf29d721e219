package dev.vxdns.verticles.forward;

import dev.vxdns.forward.CacheCounters;
import dev.vxdns.forward.PacketCache;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The forwarder's state across event loops: one {@link LoopForwarder} per Vert.x context that
 * forwards (made on that context the first time, closed with it), the pools' shared backend state
 * and the cache's counters. A query never changes loop: its sockets are its caller's.
 */
final class Forwarder {
  private final Map<io.netty.channel.EventLoop, LoopForwarder> loops = new ConcurrentHashMap<>();
  private final ForwardSettings.CacheSettings cacheSettings;
  final CacheCounters cacheCounters = new CacheCounters();
  final LongAdder noBackend = new LongAdder();
  final LongAdder forwarded = new LongAdder();
  final List<PoolState> pools;

  Forwarder(List<PoolState> pools, ForwardSettings.CacheSettings cacheSettings) {
    this.pools = List.copyOf(pools);
    this.cacheSettings = cacheSettings;
  }

  /** The calling loop's forwarder, made on first use. */
  LoopForwarder current() {
    ContextInternal current = (ContextInternal) Vertx.currentContext();
    if (current == null) {
      throw new IllegalStateException("the forward stage runs on a Vert.x context");
    }
    // Keyed by the event loop, not the context: every verticle (and duplicate context) on one
    // loop shares its sockets and cache shard, all on that one thread.
    io.netty.channel.EventLoop eventLoop = current.nettyEventLoop();
    LoopForwarder loop = loops.get(eventLoop);
    if (loop == null) {
      loop = new LoopForwarder(current.unwrap(), newShard());
      loops.put(eventLoop, loop);
      LoopForwarder made = loop;
      // The verticle whose context made the sockets undeployed: they go, the next query makes new.
      current
          .unwrap()
          .addCloseHook(
              completion -> {
                loops.remove(eventLoop, made);
                made.close();
                completion.succeed();
              });
    }
    return loop;
  }

  private PacketCache newShard() {
    return cacheSettings == null
        ? null
        : new PacketCache(
            cacheSettings.maxEntries(),
            cacheSettings.maxBytes(),
            cacheSettings.maxTtl(),
            cacheCounters);
  }

  /** Entries cached across every shard (read racily, for the counters). */
  long cacheEntries() {
    long entries = 0;
    for (LoopForwarder loop : loops.values()) {
      entries += loop.cache == null ? 0 : loop.cache.size();
    }
    return entries;
  }

  /** Closes every loop's sockets, each on its own loop. */
  void close() {
    for (LoopForwarder loop : loops.values()) {
      loop.context.runOnContext(v -> loop.close());
    }
    loops.clear();
  }
}
