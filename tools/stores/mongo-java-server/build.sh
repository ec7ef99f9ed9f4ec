#!/usr/bin/env bash
# Build the mongo-java-server launcher jar once per (pom.xml + sources) and cache it.
# Prints the jar's path as the last line of stdout; Maven's output goes to stderr.
#   POLYSTORE_CACHE  cache root (default: $HOME/.cache/polystore)
#   MVN              Maven command (default: mvn)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${POLYSTORE_CACHE:-$HOME/.cache/polystore}"
mvn_cmd="${MVN:-mvn}"

# Content hash of every input: relative path + content digest, in a stable order.
hash="$(
  cd "$here"
  { echo pom.xml; find src -type f | LC_ALL=C sort; } \
    | while IFS= read -r f; do printf '%s %s\n' "$f" "$(sha256sum < "$f" | cut -d' ' -f1)"; done \
    | sha256sum | cut -c1-16
)"
out_dir="$cache_root/mongo-java-server-$hash"
jar="$out_dir/mongo-java-server.jar"

if [[ -f "$jar" ]]; then
  echo "$jar"
  exit 0
fi

for tool in "$mvn_cmd" java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: '$tool' not found (needs Java 17+ and Maven 3.8+)" >&2; exit 1; }
done

# Build in a scratch copy: the source tree stays clean and concurrent runs do not collide.
mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.mongo-java-server-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$here/pom.xml" "$here/src" "$work/"
# (Debian's Maven 3.8 prints bare colour resets even with -q; drop them.)
(cd "$work" && "$mvn_cmd" -q -B -Dstyle.color=never package 2>&1) | sed 's/\x1b\[0m//g' >&2

mkdir -p "$out_dir"
cp "$work/target/mongo-java-server.jar" "$out_dir/.mongo-java-server.jar.$$"
mv -f "$out_dir/.mongo-java-server.jar.$$" "$jar"   # atomic: a reader never sees half a jar
echo "$jar"
