#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the immutableinfra-agent RPM with rpmbuild in a fresh, temporary _topdir (nothing from an
# earlier build can leak in) and copies it to OUTDIR.
#
# The binary is the agent's NativeAOT publish (dotnet publish -r linux-x64). Set AGENT_BINARY to reuse an
# existing publish (tests and scripts/release.sh do, the publish takes minutes); otherwise it is
# published here (x86_64 only: an aarch64 package needs AGENT_BINARY, which scripts/release.sh publishes).
# The version is VERSION's; RPM_ARCH is x86_64 (default) or aarch64.
# Needs rpm (rpmbuild), clang and zlib1g-dev. Usage: scripts/build-rpm.sh OUTDIR
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: build-rpm.sh OUTDIR}
version=$(tr -d '[:space:]' < "$repo/VERSION")
arch=${RPM_ARCH:-x86_64}
case $arch in x86_64 | aarch64) ;; *) echo "build-rpm.sh: RPM_ARCH must be x86_64 or aarch64, not $arch" >&2; exit 2 ;; esac

top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
mkdir -p "$top"/{SOURCES,SPECS,BUILD,BUILDROOT,RPMS,SRPMS}

binary=${AGENT_BINARY:-}
if [ -z "$binary" ]; then
  [ "$arch" = x86_64 ] || { echo "build-rpm.sh: set AGENT_BINARY to the linux-arm64 NativeAOT agent" >&2; exit 2; }
  dotnet publish "$repo/agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj" \
    -c Release -r linux-x64 -o "$top/publish" -nologo -v:quiet >&2
  binary=$top/publish/immutableinfra-agent
fi
[ -x "$binary" ] || { echo "build-rpm.sh: $binary is not an executable" >&2; exit 1; }

cp "$binary" "$top/SOURCES/immutableinfra-agent"
cp "$repo/packaging/systemd/immutableinfra-agent.service" "$repo/packaging/rpm/agent.yaml" "$repo/LICENSE" \
  "$repo/packaging/sysctl/50-immutableinfra-vip.conf" "$repo/packaging/modules-load/immutableinfra-ipvs.conf" "$top/SOURCES/"
cp "$repo/packaging/rpm/immutableinfra-agent.spec" "$top/SPECS/"

# rpm on a Debian host would otherwise record the build host's name (keep builds reproducible) and put the
# licence under /usr/share/licenses/NAME-VERSION (the RPM distributions' place is NAME).
# The binary is prebuilt: nothing of the host's toolchain may touch it (the host's strip cannot read an
# aarch64 binary; the publish already stripped it).
rpmbuild -bb --quiet \
  --target "$arch" \
  --define "__os_install_post %{nil}" \
  --define "_topdir $top" \
  --define "agent_version $version" \
  --define "_buildhost immutableinfra-build" \
  --define "_docdir_fmt %%{NAME}" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "clamp_mtime_to_source_date_epoch 1" \
  --define "_build_id_links none" \
  "$top/SPECS/immutableinfra-agent.spec"

mkdir -p "$out"
find "$top/RPMS" -name '*.rpm' -exec cp {} "$out/" \;
find "$out" -maxdepth 1 -name "immutableinfra-agent-$version-*.$arch.rpm" | head -n1
