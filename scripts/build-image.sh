#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the coordinator's container image without a container engine or a base image: a root filesystem
# from the few Debian packages the self-contained coordinator needs, plus the published binary, written
# as a multi-architecture OCI image (one index, a manifest per architecture) with umoci, archived as an
# oci-archive tar. Reproducible: every mtime is SOURCE_DATE_EPOCH (the commit's time), entries are sorted,
# owners numeric, and the config's and history's dates are that time too, so the same packages and the
# same binaries give the same digest.
#
# Usage: scripts/build-image.sh OUTDIR     prints the image index's digest (sha256:...) last
#   IMAGE_ARCHES          architectures, default "amd64 arm64"
#   COORDINATOR_BINARY_<arch>  a published coordinator to reuse (scripts/publish-coordinator.sh), else published here
#   DEBS_DIR              DEBS_DIR/<arch>/*.deb to use; missing ones are fetched there (default: a temporary directory)
#   IMAGE_SOURCE          org.opencontainers.image.source (default: the origin remote, else the project's URL)
# Writes OUTDIR/immutableinfra-coordinator-<version>.oci.tar. Needs root (file owners), umoci, apt.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: build-image.sh OUTDIR}
version=$(tr -d '[:space:]' < "$repo/VERSION")
revision=$(git -C "$repo" rev-parse HEAD)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
source_url=${IMAGE_SOURCE:-$(git -C "$repo" config --get remote.origin.url || echo https://github.com/immutableinfra/immutableinfra)}
arches=${IMAGE_ARCHES:-amd64 arm64}
name=immutableinfra-coordinator
uid=65532

# Only what the self-contained coordinator loads: the C and C++ runtimes, OpenSSL, zlib, CA certificates
# and time zones. No ICU (InvariantGlobalization, Directory.Build.props), no shell.
debs=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g ca-certificates tzdata)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debs_dir=${DEBS_DIR:-$work/debs}

# apt with its own state: the host's sources, the target architecture's package lists, nothing installed
# or configured on the host.
fetch_debs() {
  local arch=$1 dir=$debs_dir/$1 state=$debs_dir/apt-$1 missing=() pkg
  mkdir -p "$dir"
  for pkg in "${debs[@]}"; do
    compgen -G "$dir/${pkg}_*.deb" >/dev/null || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
  touch "$state/status"
  local opts=(-qq -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status" -o "Dir::Cache=$state/cache"
    -o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" update >&2
  (cd "$dir" && apt-get "${opts[@]}" download "${missing[@]}" >&2)
}

rootfs() {
  local arch=$1 root=$2 deb
  mkdir -p "$root"
  for deb in "$debs_dir/$arch"/*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
  # What nothing reads at run time; the copyright files stay (the packages' licences travel with them).
  rm -rf "$root"/usr/share/{man,info,lintian,locale,bug} "$root"/usr/share/doc/*/{changelog*,NEWS*,README*}
  # update-ca-certificates' bundle without running it: every certificate the package enables, in its order.
  mkdir -p "$root/etc/ssl/certs"
  find "$root/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat > "$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/usr/sbin/nologin\n' $uid $uid > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:%s:\n' $uid > "$root/etc/group"
  install -d -m 1777 "$root/tmp"
  # Mount points a runtime mounts over; with a read-only root it cannot create them itself.
  install -d -m 0755 "$root"/{proc,sys,dev,run}
  install -d -m 0700 -o $uid -g $uid "$root/home/nonroot"
  install -D -m 0755 "$3" "$root/usr/bin/$name"
  install -D -m 0644 "$repo/LICENSE" "$root/usr/share/doc/$name/LICENSE"
}

# One uncompressed layer, byte-for-byte the same for the same tree.
layer_tar() {
  find "$1" -exec touch -h -d "@$epoch" {} +
  tar -C "$1" --sort=name --format=gnu --numeric-owner --mtime="@$epoch" -cf "$2" .
}

layout=$work/layout
umoci init --layout "$layout"
manifests=()
for arch in $arches; do
  case $arch in amd64 | arm64) ;; *) echo "build-image.sh: unknown architecture $arch" >&2; exit 2 ;; esac
  var=COORDINATOR_BINARY_$arch
  binary=${!var:-}
  if [ -z "$binary" ]; then
    binary=$("$repo/scripts/publish-coordinator.sh" "$arch" "$work/publish-$arch" | tail -n1)
  fi
  fetch_debs "$arch"
  rootfs "$arch" "$work/root-$arch" "$binary"
  layer_tar "$work/root-$arch" "$work/layer-$arch.tar"

  umoci new --image "$layout:$arch"
  umoci raw add-layer --image "$layout:$arch" --history.created "$created" \
    --history.created_by "scripts/build-image.sh: Debian ${debs[*]}; $name $version" "$work/layer-$arch.tar"
  umoci config --image "$layout:$arch" --created "$created" --history.created "$created" \
    --history.created_by "scripts/build-image.sh: user, entrypoint, labels" \
    --os linux --architecture "$arch" --config.user "$uid:$uid" --config.workingdir / \
    --config.entrypoint "/usr/bin/$name" --config.cmd serve \
    --config.env PATH=/usr/bin \
    --config.env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    --config.exposedports 9443/tcp --config.exposedports 8080/tcp \
    --config.label "org.opencontainers.image.title=$name" \
    --config.label "org.opencontainers.image.source=$source_url" \
    --config.label "org.opencontainers.image.revision=$revision" \
    --config.label "org.opencontainers.image.version=$version" \
    --config.label "org.opencontainers.image.licenses=Apache-2.0" \
    --config.label "org.opencontainers.image.created=$created"
  descriptor=$(jq -c --arg tag "$arch" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $tag)' "$layout/index.json")
  manifests+=("$(jq -c --arg arch "$arch" '{mediaType, digest, size, platform: {architecture: $arch, os: "linux"}}' <<<"$descriptor")")
done

# One index over the per-architecture manifests, tagged with the version; the per-architecture tags go.
index=$(printf '%s\n' "${manifests[@]}" | jq -cs '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}')
index_digest=$(printf '%s' "$index" | sha256sum | cut -d' ' -f1)
printf '%s' "$index" > "$layout/blobs/sha256/$index_digest"
jq -c --arg digest "sha256:$index_digest" --argjson size "${#index}" --arg version "$version" \
  '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $digest, size: $size,
    annotations: {"org.opencontainers.image.ref.name": $version}}]}' "$layout/index.json" > "$work/index.json"
mv "$work/index.json" "$layout/index.json"
umoci gc --layout "$layout"

mkdir -p "$out"
archive=$out/$name-$version.oci.tar
find "$layout" -exec touch -h -d "@$epoch" {} +
tar -C "$layout" --sort=name --format=gnu --numeric-owner --owner=0 --group=0 --mtime="@$epoch" -cf "$archive" .
echo "sha256:$index_digest"
