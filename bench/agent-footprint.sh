#!/usr/bin/env bash
# Agent footprint: the NativeAOT agent against a NativeAOT hello world published the same way, in one run.
# Prints start-to-READY (sd_notify) and RSS after an idle minute connected to a fake coordinator.
# Needs clang, zlib1g-dev and python3-grpcio (Debian's /usr/bin/python3). Extra args go to footprint.py
# (--runs N, --idle-seconds S). Both programs run with the Environment= lines of the shipped systemd unit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$repo/scripts/publish-agent-aot.sh" "$work/agent" >/dev/null
dotnet publish "$repo/bench/AgentFootprint/HelloReady/HelloReady.csproj" \
  -c Release -r linux-x64 -p:AgentAot=true -o "$work/hello" -nologo -v:quiet
# The published binary must say what the JIT build says: protobuf's JSON formatter reads enum names
# by reflection, the one path behind the agent's IL2104 suppression.
aot_inventory=$("$work/agent/immutableinfra-agent" inventory --root / -o json)
jit_inventory=$(dotnet run --project "$repo/agent/ImmutableInfra.Agent" -c Release -- inventory --root / -o json)
if [ "$aot_inventory" != "$jit_inventory" ]; then
  echo "NativeAOT and JIT builds disagree on 'inventory -o json'" >&2
  exit 1
fi

/usr/bin/python3 "$repo/bench/AgentFootprint/footprint.py" \
  --agent "$work/agent/immutableinfra-agent" --hello "$work/hello/hello-ready" --work "$work" \
  --unit "$repo/packaging/systemd/immutableinfra-agent.service" "$@"
