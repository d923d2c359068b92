#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The project's main job, the lab: an in-memory Kubernetes API server, a coordinator replica, simulated
# hosts running the real agent over real gRPC, and a Cluster API simulator that creates a cluster
# (3 control planes, then 2 workers, as KubeadmControlPlane and a MachineDeployment do) and deletes it
# again. Exits 0 only when every machine was provisioned and every host came back Available.
# Options go to the lab: --hosts N --control-planes N --workers N --coordinators N --timeout S --no-teardown --verbose;
# --keep (or "serve") keeps the cluster and stays up for kubectl until Ctrl-C/SIGTERM (README: exploring the lab).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build coordinator/ImmutableInfra.Lab -c Release -nologo -clp:ErrorsOnly
exec dotnet coordinator/ImmutableInfra.Lab/bin/Release/net10.0/immutableinfra-lab.dll "$@"
