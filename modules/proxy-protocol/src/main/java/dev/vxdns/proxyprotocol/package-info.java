/**
 * PROXY protocol v2 codec (HAProxy proxy-protocol.txt, section 2.2): {@link
 * dev.vxdns.proxyprotocol.ProxyDecoder} and {@link dev.vxdns.proxyprotocol.ProxyStreamDecoder} read
 * headers into immutable {@link dev.vxdns.proxyprotocol.ProxyHeader}s, {@link
 * dev.vxdns.proxyprotocol.ProxyEncoder} writes them. No dependencies, no I/O, no DNS.
 */
package dev.vxdns.proxyprotocol;
