#!/usr/bin/env bash
# Coordinator scale: the real coordinator (Release, its own process) against the in-memory API server and
# N lightweight simulated agents over real gRPC on 127.0.0.1. Prints enrollment time, steady-state
# coordinator CPU/RSS and API writes/s, and creation-to-bootstrap-delivery p50/p99 for M machines created
# at once. Args go to the program: --hosts N (1000) --machines M (500) --steady-seconds S (60)
# --settle-seconds S (10) --bootstrap-ms MS (300) --connections C --no-teardown --coordinator-arg ARG
# --coordinator-env NAME=VALUE. The coordinator runs with the environment packaging/manifests/deployment.yaml
# gives its container (GC and malloc settings), as deployed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
bench_pid=
cleanup() {
  # The benchmark kills its coordinator itself; this covers the benchmark dying first.
  if [ -n "$bench_pid" ]; then kill "$bench_pid" 2>/dev/null || true; fi
  if [ -s "$work/coordinator.pid" ]; then kill "$(cat "$work/coordinator.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

dotnet build -c Release -nologo -v:quiet "$repo/coordinator/ImmutableInfra.Coordinator" >/dev/null
dotnet build -c Release -nologo -v:quiet "$repo/bench/ImmutableInfra.Coordinator.Benchmarks" >/dev/null
dotnet "$repo/bench/ImmutableInfra.Coordinator.Benchmarks/bin/Release/net10.0/ImmutableInfra.Coordinator.Benchmarks.dll" \
  --coordinator "$repo/coordinator/ImmutableInfra.Coordinator/bin/Release/net10.0/immutableinfra-coordinator.dll" \
  --deployment-manifest "$repo/packaging/manifests/deployment.yaml" --pid-file "$work/coordinator.pid" "$@" &
bench_pid=$!
wait "$bench_pid"
