using System.Text.Json.Nodes;

namespace ImmutableInfra.Dashboard.Tests.Support;

/// <summary>Our kinds as the API holds them (JSON), for seeding the in-memory server and for decoder tests.</summary>
internal static class Objects
{
    public const string Ns = "fleet";

    public static JsonObject Pool(string name, bool autoApprove = true) => new()
    {
        ["apiVersion"] = "infrastructure.cluster.x-k8s.io/v1beta1",
        ["kind"] = "MachineInventoryPool",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["pool"] = name } },
            ["registration"] = new JsonObject { ["autoApprove"] = autoApprove },
        },
    };

    public static JsonObject Host(string name, string pool, string state, int index = 0, string? rack = null) => new()
    {
        ["apiVersion"] = "infrastructure.cluster.x-k8s.io/v1beta1",
        ["kind"] = "MachineInventory",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Ns,
            ["labels"] = new JsonObject { ["pool"] = pool, ["rack"] = rack ?? $"r{index % 4}" },
        },
        ["spec"] = new JsonObject { ["poolRef"] = new JsonObject { ["name"] = pool } },
        ["status"] = HostStatus(name, state, index),
    };

    public static JsonObject HostStatus(string name, string state, int index = 0) => new()
    {
        ["state"] = state,
        ["hostname"] = name + ".lab",
        ["addresses"] = new JsonArray($"198.18.{index / 250}.{(index % 250) + 1}/24"),
        ["agentVersion"] = "0.1.0",
        ["lastSeen"] = "2026-01-01T00:00:00Z",
        ["inventory"] = new JsonObject
        {
            ["cpu"] = new JsonObject { ["model"] = "Lab CPU", ["cores"] = 8, ["threads"] = 16, ["sockets"] = 1 },
            ["memory"] = new JsonObject { ["totalBytes"] = 68_719_476_736L },
            ["disks"] = new JsonArray(
                new JsonObject { ["name"] = "nvme0n1", ["byIDPath"] = $"/dev/disk/by-id/nvme-{name}-0", ["sizeBytes"] = 1_920_383_410_176L, ["transport"] = "nvme", ["holdsOS"] = true },
                new JsonObject { ["name"] = "sda", ["byIDPath"] = $"/dev/disk/by-id/ata-{name}-1", ["sizeBytes"] = 8_001_563_222_016L, ["transport"] = "sata", ["rotational"] = true }),
        },
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = state == "Failed" ? "False" : "True", ["reason"] = state == "Failed" ? "BootstrapFailed" : "AgentConnected", ["lastTransitionTime"] = "2026-12-01T00:00:00Z" }),
    };

    public static JsonObject Cluster(string name, object vrid) => new()
    {
        ["apiVersion"] = "infrastructure.cluster.x-k8s.io/v1beta1",
        ["kind"] = "BaremetalCluster",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["controlPlaneEndpoint"] = new JsonObject { ["host"] = "198.18.100.10", ["port"] = 6443 },
            ["controlPlaneLoadBalancer"] = new JsonObject { ["type"] = "Internal", ["vip"] = "198.18.100.10", ["port"] = 6443, ["vrid"] = JsonValue.Create(vrid) },
        },
    };

    public static JsonObject Machine(string name, string cluster, string host, string phase, bool controlPlane) => new()
    {
        ["apiVersion"] = "infrastructure.cluster.x-k8s.io/v1beta1",
        ["kind"] = "BaremetalMachine",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Ns,
            ["labels"] = controlPlane
                ? new JsonObject { ["cluster.x-k8s.io/cluster-name"] = cluster, ["cluster.x-k8s.io/control-plane"] = "" }
                : new JsonObject { ["cluster.x-k8s.io/cluster-name"] = cluster },
        },
        ["spec"] = new JsonObject { ["poolRef"] = new JsonObject { ["name"] = "control-plane" } },
        ["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["hostRef"] = new JsonObject { ["name"] = host },
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = phase == "Provisioned" ? "True" : "False", ["reason"] = phase == "Provisioned" ? "Provisioned" : "WaitingForBootstrap", ["lastTransitionTime"] = "2026-12-01T00:00:00Z" }),
        },
    };

    /// <summary>A control-plane host's claim and VIP status as its agent reports it.</summary>
    public static JsonObject ControlPlaneClaim(JsonObject status, string cluster, string machine, string vrrp, string holder)
    {
        status["claim"] = new JsonObject
        {
            ["machineRef"] = new JsonObject { ["namespace"] = Ns, ["name"] = machine, ["uid"] = "uid-" + machine },
            ["cluster"] = $"{Ns}/{cluster}",
            ["controlPlane"] = true,
        };
        status["vip"] = new JsonObject
        {
            ["cluster"] = $"{Ns}/{cluster}",
            ["vrrpState"] = vrrp,
            ["arbiterState"] = vrrp == "Master" ? "Leading" : "Following",
            ["leaseHolder"] = holder,
            ["leaseTransitions"] = 3,
            ["lastFailoverTime"] = "2026-01-01T00:00:00Z",
        };
        return status;
    }
}
