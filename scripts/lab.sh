#!/usr/bin/env bash
# The project's main job. Until the coordinator's lab exists (issue 5) this runs what
# works end to end today: the agent reads this host's real inventory, then the gRPC
# layer and the Kubernetes watch cache are exercised for real against their in-process
# servers by the benchmark commands (short runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build ImmutableInfra.sln -c Release -nologo -clp:ErrorsOnly
echo "== agent: inventory of this host"
dotnet agent/ImmutableInfra.Agent/bin/Release/net10.0/immutableinfra-agent.dll inventory --root / -o json
echo "== gRPC layer: our server+client against plain Kestrel HTTP/2"
dotnet run -c Release --no-build --project bench/ImmutableInfra.Grpc.Benchmarks -- "$@"
echo "== Kubernetes layer: watch cache against the in-memory API server"
dotnet run -c Release --no-build --project bench/ImmutableInfra.Kubernetes.Benchmarks -- "$@"
