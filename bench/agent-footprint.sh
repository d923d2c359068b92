#!/usr/bin/env bash
# Agent footprint: the NativeAOT agent against a NativeAOT hello world published the same way, in one run.
# Prints start-to-READY (sd_notify) and RSS after an idle minute connected to a fake coordinator.
# Needs clang, zlib1g-dev and python3-grpcio (Debian's /usr/bin/python3). Extra args go to footprint.py
# (--runs N, --idle-seconds S).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$repo/scripts/publish-agent-aot.sh" "$work/agent" >/dev/null
dotnet publish "$repo/bench/AgentFootprint/HelloReady/HelloReady.csproj" \
  -c Release -r linux-x64 -p:AgentAot=true -o "$work/hello" -nologo -v:quiet
/usr/bin/python3 "$repo/bench/AgentFootprint/footprint.py" \
  --agent "$work/agent/immutableinfra-agent" --hello "$work/hello/hello-ready" --work "$work" "$@"
