#!/usr/bin/env bash
# Installs what Urna needs on a Debian machine, only what is missing.
#   scripts/deps.sh          C build and test dependencies
#   scripts/deps.sh site     also Node.js and the site's npm packages (web/node_modules:
#                            libsodium, which the booth and public pages load)
#   scripts/deps.sh web      the site's, and Chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

# tzdata: the zone files (/usr/share/zoneinfo) that referendum times are read in.
pkgs=(gcc make pkg-config libsodium-dev libdecaf-dev libmicrohttpd-dev
      libsqlite3-dev libjansson-dev libcmocka-dev libpq-dev libcurl4-openssl-dev curl openssl
      tzdata python3 python3-cryptography)
mode=${1:-}
case "$mode" in
'') ;;
site) pkgs+=(nodejs npm) ;;
web) pkgs+=(nodejs npm chromium) ;;
*) echo "usage: scripts/deps.sh [site|web]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# node and npm may come from outside Debian's packages; accept them as they are.
if [ -n "$mode" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq || true
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ -n "$mode" ]; then
  if [ ! -f web/node_modules/libsodium-wrappers-sumo/package.json ] || [ web/package-lock.json -nt web/node_modules ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
fi
