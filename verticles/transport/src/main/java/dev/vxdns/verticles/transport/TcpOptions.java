package dev.vxdns.verticles.transport;

/**
 * Limits of the stream transports, named as BIND names them (times in milliseconds here; the JSON
 * keys take BIND's units of 100 ms: {@code "tcp-idle-timeout": 300} is 30 s).
 *
 * @param clients most simultaneous TCP connections per listener ({@code tcp-clients})
 * @param initialTimeoutMillis time to wait for the first query on a new connection ({@code
 *     tcp-initial-timeout})
 * @param idleTimeoutMillis time a connection may stay idle between queries ({@code
 *     tcp-idle-timeout})
 * @param keepaliveTimeoutMillis idle time for clients that sent EDNS TCP keepalive ({@code
 *     tcp-keepalive-timeout})
 * @param advertisedTimeoutMillis timeout advertised in the keepalive option ({@code
 *     tcp-advertised-timeout})
 * @param pipelinedQueries most queries of one connection being answered at once ({@code
 *     tcp-pipelined-queries})
 * @param httpListenerClients most simultaneous connections per DoH or h2c listener ({@code
 *     http-listener-clients})
 * @param httpStreamsPerConnection most HTTP/2 streams of one connection open at once ({@code
 *     http-streams-per-connection})
 * @param transferTimeMillis longest an outgoing zone transfer may run ({@code
 *     max-transfer-time-out}, minutes in the JSON); its connection is closed then
 * @param transferIdleMillis longest an outgoing zone transfer may wait for its client to take the
 *     next message ({@code max-transfer-idle-out}, minutes in the JSON)
 */
public record TcpOptions(
    int clients,
    int initialTimeoutMillis,
    int idleTimeoutMillis,
    int keepaliveTimeoutMillis,
    int advertisedTimeoutMillis,
    int pipelinedQueries,
    int httpListenerClients,
    int httpStreamsPerConnection,
    long transferTimeMillis,
    long transferIdleMillis) {}
