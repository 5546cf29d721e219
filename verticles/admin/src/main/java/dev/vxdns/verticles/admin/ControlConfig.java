package dev.vxdns.verticles.admin;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.auth.TsigKey;
import java.net.InetAddress;

/**
 * A control channel of the {@code controls} list, BIND's {@code controls { inet ADDRESS port PORT
 * allow { ... } keys { NAME; }; };}: the HTTP admin API that {@code vxdns tsig-list} and friends
 * talk to, every request signed with {@code key} (see {@link dev.vxdns.auth.ControlMac}).
 */
public record ControlConfig(InetAddress address, int port, AddressMatchList allow, TsigKey key) {}
