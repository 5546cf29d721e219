#!/usr/bin/env bash
# BIND 9.18 in a private prefix (default /opt/vxdns/bind918), for the TKEY interop test: kept for the
# tests and docs that name it; see .ci/install-bind.sh (VXDNS_BIND918, VXDNS_BIND918_VERSION).
exec bash "$(dirname "$0")/install-bind.sh" 9.18 "$@"
