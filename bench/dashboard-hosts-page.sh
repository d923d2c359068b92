#!/usr/bin/env bash
# The dashboard's hosts page at fleet size: the in-memory API server with N hosts (default 10,000), the real
# dashboard reading it through a kubeconfig, and typical queries (filters, selector, search, sort, deep page).
# Prints each query's server-side time (its Server-Timing header) and request time, p50/p95/max, next to the same
# query at a baseline fleet (default 100 hosts) measured first in the same run. Args: --hosts N --baseline-hosts B --runs R.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dotnet build -c Release -nologo -v:quiet "$repo/bench/ImmutableInfra.Dashboard.Benchmarks" >/dev/null
exec dotnet "$repo/bench/ImmutableInfra.Dashboard.Benchmarks/bin/Release/net10.0/ImmutableInfra.Dashboard.Benchmarks.dll" "$@"
