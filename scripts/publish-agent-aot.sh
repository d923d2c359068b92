#!/usr/bin/env bash
# Publishes the agent as one NativeAOT binary for linux-x64.
#
# .NET 10's NativeAOT runtime pack is not served here, so -p:AgentAot=true (Directory.Build.props)
# builds the agent and the libraries it links for net9.0, with their own obj/aot and bin/aot.
# Needs clang and zlib1g-dev. Usage: scripts/publish-agent-aot.sh [output-dir]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$repo/artifacts/agent-aot}

dotnet publish "$repo/agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj" \
  -c Release -r linux-x64 -p:AgentAot=true -o "$out" -nologo -v:quiet
echo "$out/immutableinfra-agent"
