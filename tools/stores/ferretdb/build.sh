#!/usr/bin/env bash
# Build FerretDB v2.7.0 (the MongoDB wire protocol over PostgreSQL with DocumentDB) from its Go
# module and cache the binary. Prints the binary's path as the last line of stdout. Idempotent:
# when the binary is already cached it prints the path at once.
#   POLYSTORE_CACHE  cache root (default: $HOME/.cache/polystore)
#   GO               Go toolchain (default: go on PATH, or /usr/local/go/bin/go); needs Go >= 1.25
set -euo pipefail

version="v2.7.0"  # the newest v2 the Go module proxy serves here; expects DocumentDB 0.107
cache_root="${POLYSTORE_CACHE:-$HOME/.cache/polystore}"
out_dir="$cache_root/ferretdb-$version"
bin="$out_dir/ferretdb"

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

go="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
[[ -x "$go" ]] || { echo "ferretdb-build: Go not found (needs Go >= 1.25; set GO=/path/to/go)" >&2; exit 1; }
echo "[ferretdb-build] go install github.com/FerretDB/FerretDB/v2/cmd/ferretdb@$version ($("$go" version)); about a minute" >&2

mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.ferretdb-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Outside any module, so that a go.mod around the caller does not interfere.
(cd "$work" && GOBIN="$work" GOFLAGS=-mod=mod "$go" install "github.com/FerretDB/FerretDB/v2/cmd/ferretdb@$version")
mkdir -p "$out_dir"
mv -f "$work/ferretdb" "$bin"   # atomic: a reader never sees half a binary
echo "$bin"
