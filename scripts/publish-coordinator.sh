#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Publishes the coordinator (which is also the operator CLI) as one self-contained single-file binary for
# linux-ARCH: the coordinator image's entrypoint and the kubectl-baremetal plugin are this one file.
# Not trimmed: YamlDotNet, System.CommandLine and the JSON contracts use reflection the trimmer cannot follow.
# ContinuousIntegrationBuild maps source paths to /_/, so a clone in another directory builds the same bytes.
# Usage: scripts/publish-coordinator.sh ARCH OUTDIR   (ARCH: amd64 or arm64); prints the binary's path.
# OUTDIR also gets the publish's project.assets.json (what it resolved, for the SBOM).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
arch=${1:?usage: publish-coordinator.sh ARCH OUTDIR}
out=${2:?usage: publish-coordinator.sh ARCH OUTDIR}
case $arch in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "publish-coordinator.sh: ARCH must be amd64 or arm64, not $arch" >&2; exit 2 ;;
esac

dotnet publish "$repo/coordinator/ImmutableInfra.Coordinator/ImmutableInfra.Coordinator.csproj" \
  -c Release -r "$rid" --self-contained -p:PublishSingleFile=true -p:PublishTrimmed=false \
  -p:DebugType=none -p:ContinuousIntegrationBuild=true -o "$out" -nologo -v:quiet -clp:ErrorsOnly >&2
# What the publish resolved for this runtime, for the SBOM (scripts/sbom.py); the next restore overwrites obj/.
cp "$repo/coordinator/ImmutableInfra.Coordinator/obj/project.assets.json" "$out/project.assets.json"
echo "$out/immutableinfra-coordinator"
