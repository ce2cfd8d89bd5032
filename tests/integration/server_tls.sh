#!/usr/bin/env bash
# urna serve over HTTPS (--tls-cert/--tls-key, GnuTLS through libmicrohttpd)
# with a certificate this test makes for 127.0.0.1: the CLI (libcurl) works
# against it when told to trust that certificate (URNA_CA_FILE), and refuses
# it otherwise; plain HTTP to the TLS port gets no answer; a key that is not
# the certificate's is refused at start.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkcert() { # NAME: a self-signed certificate for 127.0.0.1, $T/NAME.crt and .key
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1" -keyout "$T/$1.key" -out "$T/$1.crt" 2>/dev/null || fail "openssl req"
}
mkcert a
mkcert b
if "$URNA" serve --db "$T/x.db" --listen 127.0.0.1:0 --tls-cert "$T/a.crt" --tls-key "$T/b.key" --quiet >"$T/bad.log" 2>&1; then
	fail "a key that is not the certificate's was accepted"
fi
grep -q "cannot start the HTTP server" "$T/bad.log" || fail "mismatched key: $(cat "$T/bad.log")"
if "$URNA" serve --db "$T/x.db" --tls-cert "$T/a.crt" --quiet >"$T/bad.log" 2>&1; then fail "--tls-cert alone"; fi

start_server --tls-cert "$T/a.crt" --tls-key "$T/a.key"
grep -q "listening on https://" "$T/server.log" || fail "the server does not say https: $(cat "$T/server.log")"
S=${S/http:/https:}
spec='{"id":"tls-ref","title":{"en":"T"},"timezone":"Europe/Moscow","opens_at":"2030-07-01T00:00",
 "closes_at":"2030-07-15T23:59","announce_at":"2030-07-31T12:00","trustees":{"n":1,"t":1},
 "regions":[{"id":"x","name":{"en":"X"},"questions":[{"text":{"en":"Q"},"choices":[{"en":"Yes"},{"en":"No"}],"min":1,"max":1}]}]}'
make_spec "$T/spec.json" <<<"$spec"
URNA_CA_FILE="$T/a.crt" "$URNA" referendum create "$T/spec.json" --server "$S" --key "$T/organizer.key" >/dev/null ||
	fail "create over https"
URNA_CA_FILE="$T/a.crt" "$URNA" referendum list --server "$S" | grep -q tls-ref || fail "list over https"
URNA_CA_FILE="$T/a.crt" "$URNA" clock --server "$S" | grep -q "server clock:" || fail "clock over https"
if "$URNA" referendum list --server "$S" >/dev/null 2>"$T/err"; then fail "an unknown certificate was trusted"; fi
grep -qi "certificate" "$T/err" || fail "untrusted certificate: $(cat "$T/err")"
if URNA_CA_FILE="$T/b.crt" "$URNA" referendum list --server "$S" >/dev/null 2>&1; then fail "the wrong CA was trusted"; fi
if curl -s --max-time 3 "${S/https:/http:}/api/referendums" | grep -q tls-ref; then fail "plain HTTP answered"; fi
echo "server_tls: ok"
