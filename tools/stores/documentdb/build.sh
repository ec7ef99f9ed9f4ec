#!/usr/bin/env bash
# Build DocumentDB 0.107 (with pgvector 0.8.0 and pg_cron 1.6.3) for Debian's PostgreSQL 15 from
# the source archives in $POLYSTORE_SOURCES, cache the staged install keyed by its inputs, and
# install it into the server's extension directories (root: PostgreSQL 15 has no other path).
# Idempotent: when the installed build matches the inputs it returns at once.
#   POLYSTORE_SOURCES  where the archives are (default: ../shared/sources beside the project)
#   POLYSTORE_CACHE    cache root (default: $HOME/.cache/polystore)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/../../.." && pwd)"
sources="${POLYSTORE_SOURCES:-$project/../shared/sources}"
cache_root="${POLYSTORE_CACHE:-$HOME/.cache/polystore}"
pg_version=15
pg_config="/usr/lib/postgresql/$pg_version/bin/pg_config"

# name of the archive -> sha256 (../shared/sources/README.md gives the provenance of each).
declare -A archives=(
  [documentdb-0.107-ae628e91.tar.gz]=fcc6046e34e3c3d08c9549935c7ef40b8936e70fef682537a2d25c8cc0e76d65
  [pgvector-0.8.0.tar.gz]=958aa543a05a60c3696f7fc3bc5722be5a1c413b0ee0e1811f898128526b9c8a
  [pg_cron-1.6.3.tar.gz]=c525dbe88dc22c2a58fe82565bb9602690e1c05c4ffd3d2ccee971ac52d59904
)
packages=(
  "postgresql-$pg_version" "postgresql-server-dev-$pg_version" libkrb5-dev build-essential pkg-config
  libbson-dev libpcre2-dev libintelrdfpmath-dev "postgresql-$pg_version-rum" "postgresql-$pg_version-postgis-3"
)

log() { printf '[documentdb-build] %s\n' "$*" >&2; }
fail() { printf 'documentdb-build: %s\n' "$*" >&2; exit 1; }

key="$({ cat "${BASH_SOURCE[0]}"; printf '%s\n' "${archives[@]}" | LC_ALL=C sort; } | sha256sum | cut -c1-16)"
stage="$cache_root/documentdb-$key"
stamp="/usr/share/postgresql/$pg_version/extension/polystore-documentdb.key"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]]; then
  exit 0
fi
[[ "$(id -u)" == 0 ]] || fail "installing PostgreSQL extensions needs root (the server's extension directory is system-owned)"
# One build at a time (test runs and services may start servers at once); the winner's work is reused.
mkdir -p "$cache_root"
exec 9>"$cache_root/.documentdb-build.lock"
flock 9
if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" ]]; then
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -d "$stage/root" ]]; then
  for name in "${!archives[@]}"; do
    [[ -f "$sources/$name" ]] || fail "missing source archive $sources/$name. Set POLYSTORE_SOURCES to the folder that holds it, or run with POLYSTORE_DOCUMENT_SERVER=mongo-java-server (no build needed)."
  done
  for name in "${!archives[@]}"; do
    echo "${archives[$name]}  $sources/$name" | sha256sum --quiet -c - || fail "$sources/$name does not match its checksum"
  done
  mkdir -p "$cache_root"
  work="$(mktemp -d "$cache_root/.documentdb-build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  for name in "${!archives[@]}"; do tar -xzf "$sources/$name" -C "$work"; done

  # Debian's libintelrdfpmath-dev ships the call-by-value library upstream builds, but no .pc file.
  mkdir -p "$work/pkgconfig"
  printf 'Name: intelmathlib\nDescription: Intel decimal floating-point math\nVersion: 2.0\nLibs: -lbidgcc000\nCflags:\n' \
    > "$work/pkgconfig/intelmathlib.pc"
  export PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

  # libbson 1.23 (Debian 12) predates BSON_SUBTYPE_SENSITIVE (1.25, value 0x08).
  operators="$work/documentdb/pg_documentdb/src/operators/bson_expression_type_operators.c"
  sed -i -e 's/switch (subtype)$/switch ((int) subtype)/' \
    -e '/#include "io\/bson_core.h"/a #if !BSON_CHECK_VERSION(1, 25, 0)\n#define BSON_SUBTYPE_SENSITIVE 0x08\n#endif' \
    "$operators"

  make_args=(with_llvm=no "PG_CONFIG=$pg_config" "DESTDIR=$work/root")
  for dir in pgvector pg_cron documentdb/pg_documentdb_core documentdb/pg_documentdb; do
    log "building $dir"
    { make -C "$work/$dir" -j"$(nproc)" "${make_args[@]}" && make -C "$work/$dir" "${make_args[@]}" install; } \
      >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "building $dir failed (log above)"; }
  done
  mkdir -p "$stage"
  mv "$work/root" "$stage/root"
fi

log "installing into PostgreSQL $pg_version's extension directories"
# File by file, each renamed into place: a running server keeps the library it has mapped (a
# copy over it in place would crash that server with SIGBUS).
(cd "$stage/root" && find . -type f) | while IFS= read -r file; do
  target="/${file#./}"
  mkdir -p "$(dirname "$target")"
  cp -p "$stage/root/$file" "$target.polystore-new"
  mv -f "$target.polystore-new" "$target"
done
echo "$key" > "$stamp"
