package dev.vxdns.verticles.forward;

import java.util.List;

/** A named pool of backends and how it picks one. */
public record Pool(String name, Policy policy, List<Backend> backends) {
  public Pool {
    backends = List.copyOf(backends);
  }
}
