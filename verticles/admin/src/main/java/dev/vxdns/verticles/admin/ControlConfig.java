package dev.vxdns.verticles.admin;

import dev.vxdns.acl.AddressMatchList;
import java.net.InetAddress;

/**
 * A control channel of the {@code controls} list, BIND's {@code controls { inet ADDRESS port PORT
 * allow { ... }; };}: the HTTP admin API that {@code vxdns tsig-list} and friends talk to.
 */
public record ControlConfig(InetAddress address, int port, AddressMatchList allow) {}
