package dev.vxdns.verticles.transport;

/**
 * What the node hands each instance of a transport verticle: its listener, the transports'
 * settings, how many instances share the listener (connection caps are divided among them) and the
 * largest PROXY header to delimit ({@code proxy-max-header-size}, the proxy stage's key).
 */
public record Listener(
    ListenerConfig config, TransportSettings settings, int instances, int proxyMaxHeaderSize) {}
