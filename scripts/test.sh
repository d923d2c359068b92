#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The project's test command: installs what the tests need when it is missing (Debian
# packages, NuGet restore), builds everything with warnings as errors, runs every test
# project and ends with one "N passed, N failed" line. Needs root for apt and for the
# tests that use loop devices and network namespaces (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Real peers and tools the tests drive (see README "What the tests run against").
packages=(
  python3-grpcio python3-protobuf   # independent gRPC client/server for interop tests
  python3-prometheus-client         # parses the coordinator's /metrics (a parser we did not write)
  util-linux mount e2fsprogs fdisk  # wipefs, blkdiscard, losetup, mount, mkfs.ext4, sfdisk
  keepalived iproute2               # keepalived -t on the rendered VIP configs; real VRRP between netns (ip, bridge)
  rpm rpmlint clang zlib1g-dev      # rpmbuild and rpmlint of the agent RPM (NativeAOT publish needs clang, zlib)
  ignition shellcheck               # ignition-validate and shellcheck of the MicroOS enrollment renderers
  debootstrap systemd-container     # a Debian tree booted with systemd-nspawn for the unit under real systemd
  python3-kubernetes                # the official Python client against the in-memory API server (kubectl is preinstalled)
  umoci skopeo jq                   # the coordinator image: built (scripts/build-image.sh), inspected, unpacked
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu  # the linux-arm64 NativeAOT agent
  qemu-user-static                  # runs the arm64 agent and coordinator
  chromium                          # the dashboard's browser tests (Playwright drives /usr/bin/chromium)
)
# kubectl applies the clusterctl components; Debian's is kubernetes-client, when none is installed.
command -v kubectl >/dev/null || packages+=(kubernetes-client)
scripts/install-debian-packages.sh "${packages[@]}"

dotnet restore ImmutableInfra.sln
dotnet build ImmutableInfra.sln -c Release --no-restore -nologo -clp:ErrorsOnly

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  set +e
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=minimal" --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" 2>&1 | tee "$results/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" -eq 0 ] || status=1
done

# One closing line over all projects, counted from the trx files.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error"))
    skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
