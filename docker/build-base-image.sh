#!/usr/bin/env bash
# Builds, without any image registry, a stand-in for quay.io/keycloak/keycloak:<version>:
# a Debian bookworm rootfs (debootstrap + docker import), a Java 21+ runtime from this machine and the Keycloak
# distribution from Maven Central, laid out as in the official image (/opt/keycloak, uid 1000 gid 0,
# entrypoint kc.sh). Use it as KEYCLOAK_IMAGE for docker/Dockerfile where quay.io is out of reach.
#
#   docker/build-base-image.sh [--with-postgres] [keycloak-version]        (default 26.7.3)
#   env: BASE_IMAGE (tag to build), JAVA_RUNTIME (a JDK 21+ directory), DEBIAN_MIRROR
#
# --with-postgres also builds customer-auth/postgres-offline:15 (docker/offline-postgres), a stand-in for the
# postgres image that compose.yaml and the container test use; its build installs Debian's PostgreSQL with apt.
set -euo pipefail

with_postgres=false
if [ "${1:-}" = --with-postgres ]; then with_postgres=true; shift; fi
kc_version=${1:-26.7.3}
base_image=${BASE_IMAGE:-customer-auth/keycloak-base:$kc_version}
rootfs_image=customer-auth/debian-bookworm:minbase
here=$(cd "$(dirname "$0")" && pwd)

java_major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }

find_java_runtime() {
  for candidate in "${JAVA_RUNTIME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$candidate"; return; fi
  done
  echo "No Java 21+ runtime found: set JAVA_RUNTIME to a JDK 21+ directory." >&2
  exit 1
}

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  mirror=$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  echo "${mirror:-http://deb.debian.org/debian}"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! docker image inspect "$rootfs_image" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
  echo "Building $rootfs_image with debootstrap from $(debian_mirror) ..."
  debootstrap --variant=minbase bookworm "$work/rootfs" "$(debian_mirror)" >"$work/debootstrap.log" \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" -c . | docker import - "$rootfs_image" >/dev/null
  rm -rf "$work/rootfs"
fi

java_runtime=$(find_java_runtime)
echo "Building $base_image: Keycloak $kc_version, Java $(java_major "$java_runtime") from $java_runtime ..."

mkdir -p "$work/context"
mvn -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$kc_version:tar.gz" \
  -DoutputDirectory="$work" -Dmdep.useBaseVersion=true
tar -C "$work/context" -xzf "$work/keycloak-quarkus-dist-$kc_version.tar.gz"
mv "$work/context/keycloak-$kc_version" "$work/context/keycloak"
# -L: the JDK's cacerts is a symlink into /etc that would dangle inside the image.
cp -rL "$java_runtime" "$work/context/java"
cp "$here/base-image/Dockerfile" "$work/context/Dockerfile"

docker build --network none -q -t "$base_image" "$work/context" >/dev/null
echo "Built $base_image"

if $with_postgres; then
  # Host network: apt inside the build reaches the same Debian mirror as this machine.
  docker build --network host -q -t customer-auth/postgres-offline:15 "$here/offline-postgres" >/dev/null
  echo "Built customer-auth/postgres-offline:15"
fi
