#!/usr/bin/env bash
# make-certs.sh DIR [NAME]: a demo certificate authority and a server certificate it signs,
# for 127.0.0.1 and localhost. Keys are made here at run/test time and never committed.
# Files: DIR/NAME-ca.pem (what clients pin), DIR/NAME-ca.key, DIR/server.crt, DIR/server.key.
# With NAME omitted the CA is DIR/ca.pem. Idempotent: keeps certificates valid for 7+ days.
set -euo pipefail
dir=$1
name=${2:-}
ca=$dir/${name:+$name-}ca
mkdir -p "$dir"
umask 077
if [ -f "$ca.pem" ] && [ -f "$dir/server.crt" ] && openssl x509 -checkend 604800 -noout -in "$dir/server.crt" >/dev/null 2>&1; then
    exit 0
fi
days=825
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
    -days 3650 -keyout "$ca.key" -out "$ca.pem" -subj "/O=DJTV demo/CN=DJTV demo CA${name:+ $name}" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
    -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/O=DJTV demo/CN=localhost" 2>/dev/null
cat > "$dir/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl x509 -req -in "$dir/server.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial \
    -days "$days" -sha256 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext" "$ca.srl"
chmod 644 "$ca.pem" "$dir/server.crt"
