#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds every artifact of a release, at the version in VERSION, from this checkout:
#   immutableinfra-agent-<v>-1.{x86_64,aarch64}.rpm     the NativeAOT agent for the hosts
#   immutableinfra-coordinator-<v>.oci.tar              the coordinator image, one index for linux/amd64 and linux/arm64
#   clusterctl/infrastructure-immutableinfra/v<v>/      the clusterctl provider repository, pinned to the image's digest
#   linux-{amd64,arm64}/kubectl-baremetal               the operator CLI, one self-contained file
#   sbom/*.spdx.json                                    SPDX SBOMs of the image (per architecture) and of the RPMs
#   RELEASE-NOTES.md, SHA256SUMS
# Installs the Debian packages it needs when they are missing (runs on a fresh Debian 12 with the .NET SDK).
# Reproducible: SOURCE_DATE_EPOCH is the commit's time unless set; the same checkout and Debian packages give
# the same image digest.
#
# Usage: scripts/release.sh OUTDIR
#   RELEASE_WORK  keep the publishes and Debian packages in this directory (default: a temporary one, removed)
#   DEBS_DIR      Debian packages for the image, per architecture (default: RELEASE_WORK/debs, fetched)
#   RELEASE_REUSE_PUBLISHES=1  reuse the publishes already in RELEASE_WORK (iterating on packaging only)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: release.sh OUTDIR}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

packages=(
  git jq python3 rpm                           # version and revision, index JSON, SBOM, rpmbuild
  clang zlib1g-dev                             # the NativeAOT link (linux-x64)
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross  # the NativeAOT cross link (linux-arm64): clang --target=aarch64-linux-gnu
  binutils-aarch64-linux-gnu
  umoci                                        # the OCI image layout
)
"$repo/scripts/install-debian-packages.sh" "${packages[@]}"

version=$(tr -d '[:space:]' < "$repo/VERSION")
revision=$(git -C "$repo" rev-parse HEAD)
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
if [ -n "${RELEASE_WORK:-}" ]; then
  work=$RELEASE_WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
export DEBS_DIR=${DEBS_DIR:-$work/debs}
mkdir -p "$out/sbom" "$out/clusterctl"
started=$SECONDS
step() { echo "release.sh: $* ($((SECONDS - started)) s)" >&2; }


rid_of() { case $1 in amd64) echo linux-x64 ;; arm64) echo linux-arm64 ;; esac; }
rpm_arch_of() { case $1 in amd64) echo x86_64 ;; arm64) echo aarch64 ;; esac; }

for arch in amd64 arm64; do
  rid=$(rid_of $arch)
  cross=(); [ $arch = amd64 ] || cross=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)
  reuse=${RELEASE_REUSE_PUBLISHES:-}
  if [ -z "$reuse" ] || [ ! -f "$work/agent-$arch/project.assets.json" ]; then
    step "agent $rid (NativeAOT)"
    dotnet publish "$repo/agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj" -c Release -r "$rid" "${cross[@]}" \
      -p:ContinuousIntegrationBuild=true -o "$work/agent-$arch" -nologo -v:quiet -clp:ErrorsOnly >&2
    cp "$repo/agent/ImmutableInfra.Agent/obj/project.assets.json" "$work/agent-$arch/project.assets.json"
  fi
  rpm=$(RPM_ARCH=$(rpm_arch_of $arch) AGENT_BINARY=$work/agent-$arch/immutableinfra-agent "$repo/scripts/build-rpm.sh" "$out" | tail -n1)
  python3 "$repo/scripts/sbom.py" --name immutableinfra-agent --version "$version" --rid "$rid" \
    --assets "$work/agent-$arch/project.assets.json" --checksum "$(sha256sum "$rpm" | cut -d' ' -f1)" > "$out/sbom/$(basename "$rpm").spdx.json"

  if [ -z "$reuse" ] || [ ! -f "$work/coordinator-$arch/project.assets.json" ]; then
    step "coordinator $rid (self-contained single file)"
    "$repo/scripts/publish-coordinator.sh" $arch "$work/coordinator-$arch" >/dev/null
  fi
  install -D -m 0755 "$work/coordinator-$arch/immutableinfra-coordinator" "$out/linux-$arch/kubectl-baremetal"
done

step "image"
digest=$(COORDINATOR_BINARY_amd64=$work/coordinator-amd64/immutableinfra-coordinator \
  COORDINATOR_BINARY_arm64=$work/coordinator-arm64/immutableinfra-coordinator \
  IMAGE_ARCHES="amd64 arm64" "$repo/scripts/build-image.sh" "$out" | tail -n1)
image=immutableinfra-coordinator-$version.oci.tar
for arch in amd64 arm64; do
  manifest=$(tar -xOf "$out/$image" ./index.json | jq -r '.manifests[0].digest' | cut -d: -f2)
  manifest=$(tar -xOf "$out/$image" "./blobs/sha256/$manifest" | jq -r --arg arch $arch '.manifests[] | select(.platform.architecture == $arch) | .digest')
  python3 "$repo/scripts/sbom.py" --name immutableinfra-coordinator --version "$version" --rid "$(rid_of $arch)" \
    --assets "$work/coordinator-$arch/project.assets.json" --debs "$DEBS_DIR/$arch" --checksum "$manifest" \
    > "$out/sbom/immutableinfra-coordinator-$version-linux-$arch.spdx.json"
done

step "clusterctl repository"
components=$("$repo/scripts/build-clusterctl-components.sh" --repository "$out/clusterctl" --image-digest "$digest" "$work/infrastructure-components.yaml")

cat > "$out/RELEASE-NOTES.md" <<EOF
# ImmutableInfra $version

Built from commit $revision.

| artifact | what |
| --- | --- |
| \`immutableinfra-agent-$version-1.x86_64.rpm\`, \`...aarch64.rpm\` | the host agent (NativeAOT), its systemd unit and config |
| \`$image\` | the coordinator image (OCI archive), linux/amd64 and linux/arm64, index \`$digest\` |
| \`clusterctl/infrastructure-immutableinfra/v$version/\` | the clusterctl provider repository; the Deployment's image is pinned to \`$digest\` |
| \`linux-amd64/kubectl-baremetal\`, \`linux-arm64/kubectl-baremetal\` | the operator CLI (a kubectl plugin) |
| \`sbom/\` | SPDX 2.3 SBOMs of the image (per architecture) and of the RPMs |

Install (docs/operator-guide.md): push the image to the registry the management cluster pulls from, keeping its digest,

    skopeo copy --all --preserve-digests oci-archive:$image:$version docker://REGISTRY/immutableinfra-coordinator:$version

then \`IMMUTABLEINFRA_COORDINATOR_REPOSITORY=REGISTRY/immutableinfra-coordinator clusterctl init --infrastructure immutableinfra\`
with clusterctl pointed at \`${components#"$out/"}/infrastructure-components.yaml\`. Verify the files with \`sha256sum -c SHA256SUMS\`.
Licence: Apache-2.0.
EOF

(cd "$out" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) > "$work/SHA256SUMS"
mv "$work/SHA256SUMS" "$out/SHA256SUMS"
step "done: $out, image $digest"
echo "$digest"
