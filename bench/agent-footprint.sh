#!/usr/bin/env bash
# Agent footprint: the NativeAOT agent against a NativeAOT hello world on the same hosting stack, in one run, both as
# Type=notify units of a real systemd (an nspawn-booted Debian tree). Prints start-to-READY (systemd's own figure) and
# RSS after an idle minute connected to a fake coordinator. Needs root, clang, zlib1g-dev, debootstrap,
# systemd-container and python3-grpcio (Debian's /usr/bin/python3). Extra args go to footprint.py (--runs N,
# --idle-seconds S). Both programs run with the Environment= lines of the shipped systemd unit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish "$repo/agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj" -c Release -r linux-x64 -o "$work/agent" -nologo -v:quiet
dotnet publish "$repo/bench/AgentFootprint/HelloReady/HelloReady.csproj" -c Release -r linux-x64 -o "$work/hello" -nologo -v:quiet

# The published binary must say what the JIT build says: protobuf's JSON formatter reads enum names by reflection, the
# one path behind the agent's IL2104 suppression. Both read the same inventory in an empty network namespace (with its
# own sysfs), so interfaces that other jobs add and remove meanwhile cannot make them differ.
dotnet build "$repo/agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj" -c Release -o "$work/jit" -nologo -v:quiet
# shellcheck disable=SC2016 # $1..$3 are the inner shell's arguments
unshare --net --mount sh -c 'mount -t sysfs none /sys && "$1" inventory --root / -o json >"$3/aot.json" && dotnet "$2" inventory --root / -o json >"$3/jit.json"' \
  sh "$work/agent/immutableinfra-agent" "$work/jit/immutableinfra-agent.dll" "$work"
cmp -s "$work/aot.json" "$work/jit.json" || { echo "NativeAOT and JIT builds disagree on 'inventory -o json'" >&2; exit 1; }

tree=$("$repo/tests/ImmutableInfra.Packaging.Tests/Systemd/debian-tree.sh")
/usr/bin/python3 "$repo/bench/AgentFootprint/footprint.py" \
  --agent "$work/agent/immutableinfra-agent" --hello "$work/hello/hello-ready" --tree "$tree" \
  --unit "$repo/packaging/systemd/immutableinfra-agent.service" "$@"
