package dev.vxdns.verticles.forward;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A pool with its backends' shared state, and the order its policy tries them in. */
final class PoolState {
  final Pool pool;
  final List<BackendState> backends;

  /** Whether any backend's answers may be cached, so a lookup can hit. */
  final boolean caching;

  /** The weighted round-robin wheel: each backend's index as often as its weight. */
  private final int[] wheel;

  PoolState(Pool pool, List<BackendState> backends) {
    this.pool = pool;
    this.backends = List.copyOf(backends);
    this.caching = backends.stream().anyMatch(b -> b.backend.cache());
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < backends.size(); i++) {
      for (int w = 0; w < backends.get(i).backend.weight(); w++) {
        slots.add(i);
      }
    }
    this.wheel = slots.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The backends to try, in order: those up, the policy's choice first, then the others (a backend
   * down is not tried). {@code turn} is the loop's round-robin position.
   */
  List<BackendState> order(int turn) {
    List<BackendState> up = new ArrayList<>(backends.size());
    for (BackendState backend : backends) {
      if (backend.up()) {
        up.add(backend);
      }
    }
    if (up.size() <= 1) {
      return up;
    }
    switch (pool.policy()) {
      case FIRST_AVAILABLE:
        return up;
      case LEAST_OUTSTANDING:
        up.sort(Comparator.comparingInt(b -> b.outstanding.get())); // stable: listed order on ties
        return up;
      case ROUND_ROBIN:
      default:
        BackendState first = null;
        for (int i = 0; i < wheel.length && first == null; i++) {
          BackendState candidate = backends.get(wheel[(turn + i) % wheel.length]);
          if (candidate.up()) {
            first = candidate;
          }
        }
        up.remove(first);
        up.add(0, first);
        return up;
    }
  }
}
