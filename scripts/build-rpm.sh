#!/usr/bin/env bash
# Builds the immutableinfra-agent RPM with rpmbuild in a fresh, temporary _topdir (nothing from an
# earlier build can leak in) and copies it to OUTDIR.
#
# The binary is the agent's NativeAOT publish (dotnet publish -r linux-x64). Set AGENT_BINARY to reuse an
# existing publish (tests do, the publish takes minutes); otherwise it is published here.
# Needs rpm (rpmbuild), clang and zlib1g-dev. Usage: scripts/build-rpm.sh OUTDIR
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: build-rpm.sh OUTDIR}
version=${AGENT_VERSION:-0.1.0}

top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
mkdir -p "$top"/{SOURCES,SPECS,BUILD,BUILDROOT,RPMS,SRPMS}

binary=${AGENT_BINARY:-}
if [ -z "$binary" ]; then
  dotnet publish "$repo/agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj" \
    -c Release -r linux-x64 -o "$top/publish" -nologo -v:quiet >&2
  binary=$top/publish/immutableinfra-agent
fi
[ -x "$binary" ] || { echo "build-rpm.sh: $binary is not an executable" >&2; exit 1; }

cp "$binary" "$top/SOURCES/immutableinfra-agent"
cp "$repo/packaging/systemd/immutableinfra-agent.service" "$repo/packaging/rpm/agent.yaml" \
  "$repo/packaging/sysctl/50-immutableinfra-vip.conf" "$repo/packaging/modules-load/immutableinfra-ipvs.conf" "$top/SOURCES/"
cp "$repo/packaging/rpm/immutableinfra-agent.spec" "$top/SPECS/"

# rpm on a Debian host would otherwise record the build host's name; keep builds reproducible.
rpmbuild -bb --quiet \
  --target x86_64 \
  --define "_topdir $top" \
  --define "agent_version $version" \
  --define "_buildhost immutableinfra-build" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "_build_id_links none" \
  "$top/SPECS/immutableinfra-agent.spec"

mkdir -p "$out"
find "$top/RPMS" -name '*.rpm' -exec cp {} "$out/" \;
find "$out" -maxdepth 1 -name "immutableinfra-agent-$version-*.rpm" | head -n1
