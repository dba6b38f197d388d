#!/bin/sh
# Makes the test certificates of RedisTlsTest (see README.md): two CAs and three server certificates, EC P-256,
# valid for 100 years. Run from this directory: sh make.sh
set -e
days=36500
ca() { # NAME CN
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.pem" \
    -days $days -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
server() { # NAME SAN (signed by ca)
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n' "$2" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days $days -extfile "$1.ext"
  rm "$1.csr" "$1.ext"
}
ca ca "Sluice Test CA"
ca other-ca "Sluice Other Test CA"
server localhost "DNS:localhost,IP:127.0.0.1"
server localhost-name "DNS:localhost"
server other-host "DNS:redis.other.example"
rm -f ca.key other-ca.key ca.srl
