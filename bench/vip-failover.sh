#!/usr/bin/env bash
# VIP failover: the agent's Lease arbiter over real keepalived against plain keepalived (same configuration,
# same advert interval, same run), three network namespaces on a bridge (198.18.0.0/15 addresses only).
# API latency, 429s, a frozen agent and a flapping link too, at the shipped timings. Needs root, keepalived and
# iproute2. Extra args go to the program (--runs N, --advert-ms MS).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
dotnet run -c Release --project "$repo/bench/ImmutableInfra.Vip.Benchmarks" -- "$@"
