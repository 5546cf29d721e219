#!/usr/bin/env bash
# cluster/make-tls.sh DIR [IP...]: makes the cluster's CA (DIR/ca.crt, DIR/ca.key, once) and a node
# certificate signed by it (DIR/node.crt, DIR/node.key) valid for the given IP addresses (default
# 127.0.0.1). Every node's event bus presents a certificate from this CA and accepts only peers
# that present one too (client auth required). For hosts of their own, run it once per host with
# that host's address and copy ca.crt (never ca.key) to every node.
set -euo pipefail
dir="$1"; shift
ips=("${@:-127.0.0.1}")
mkdir -p "$dir"
cd "$dir"
if [ ! -f ca.crt ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=vxdns cluster CA" \
    -keyout ca.key -out ca.crt 2>/dev/null
  chmod 600 ca.key
fi
san="subjectAltName=$(printf 'IP:%s,' "${ips[@]}")DNS:localhost"
openssl req -newkey rsa:2048 -nodes -subj "/CN=vxdns node" -keyout node.key -out node.csr 2>/dev/null
openssl x509 -req -in node.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
  -extfile <(printf '%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san") -out node.crt 2>/dev/null
chmod 600 node.key
rm -f node.csr
