#!/usr/bin/env bash
# Build FerretDB v1.24.2 (MongoDB-wire server over SQLite/PostgreSQL) from its Go module and
# cache the binary. Prints the binary's path as the last line of stdout. Idempotent: when the
# binary is already cached it prints the path at once.
set -euo pipefail

VERSION="v1.24.2"
MODULE="github.com/FerretDB/FerretDB"
CACHE_ROOT="${POLYSTORE_CACHE:-$HOME/.cache/polystore}"
OUT_DIR="$CACHE_ROOT/ferretdb-$VERSION"
BIN="$OUT_DIR/ferretdb"

log() { printf '[ferretdb-build] %s\n' "$*" >&2; }

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)";
  elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go;
  else log "Go toolchain not found (need Go >= 1.24; set GO=/path/to/go)"; exit 1; fi
fi
log "using $("$GO" version)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
trap 'chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT

log "downloading module $MODULE@$VERSION"
# Run outside any Go module so go.mod files around the caller do not interfere.
JSON="$(cd "$WORK" && GOFLAGS=-mod=mod "$GO" mod download -json "$MODULE@$VERSION")"
SRC="$(printf '%s\n' "$JSON" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n1)"
if [[ -z "$SRC" || ! -d "$SRC" ]]; then
  log "could not find the module's Dir in: $JSON"; exit 1
fi
log "module source: $SRC"

cp -R "$SRC" "$WORK/src"
chmod -R u+w "$WORK/src"
# The module zip lacks this git-ignored file; without it the binary panics at start.
mkdir -p "$WORK/src/build/version"
echo "$VERSION" > "$WORK/src/build/version/version.txt"

mkdir -p "$OUT_DIR"
log "building ./cmd/ferretdb (CGO_ENABLED=0); the first build takes a few minutes"
(cd "$WORK/src" && CGO_ENABLED=0 "$GO" build -trimpath -o "$BIN.tmp" ./cmd/ferretdb)
mv -f "$BIN.tmp" "$BIN"
log "built $("$BIN" --version 2>&1 | head -n1 || true)"
echo "$BIN"
