using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ImmutableInfra.Dashboard.Tests.Support;

/// <summary>A small fleet: two pools, a cluster with three control planes on an Internal VIP, workers, events. (Objects that do not decode are
/// refused by the validating in-memory API server, so decoding them is covered by the Fleet unit tests.)</summary>
internal static class Seed
{
    public static async Task SmallFleetAsync(ApiLab lab)
    {
        await lab.Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Objects.Ns } });
        await lab.CreateAsync("machineinventorypools", Objects.Pool("control-plane"));
        await lab.CreateAsync("machineinventorypools", Objects.Pool("workers", autoApprove: false));
        await lab.Admin.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "control-plane-registration", NamespaceProperty = Objects.Ns }, StringData = new Dictionary<string, string> { ["token"] = "s3cr3t-token-value" } }, Objects.Ns);
        await lab.CreateAsync("baremetalclusters", Objects.Cluster("alpha", 51));
        for (var i = 0; i < 3; i++)
        {
            var host = Objects.Host($"cp-{i}", "control-plane", "Provisioned", i);
            host["status"] = Objects.ControlPlaneClaim(host["status"]!.AsObject(), "alpha", $"alpha-cp-{i}", i == 0 ? "Master" : "Backup", "cp-0");
            await lab.CreateAsync("machineinventories", host);
            await lab.CreateAsync("baremetalmachines", Objects.Machine($"alpha-cp-{i}", "alpha", $"cp-{i}", "Provisioned", controlPlane: true));
        }

        var states = new[] { "Available", "Available", "Provisioning", "Deprovisioning", "Failed", "Offline" };
        for (var i = 0; i < states.Length; i++)
        {
            var host = Objects.Host($"worker-{i}", "workers", states[i], 10 + i);
            if (states[i] == "Deprovisioning")
            {
                host["status"]!["wipe"] = new JsonObject
                {
                    ["step"] = "wipe",
                    ["disks"] = new JsonArray(new JsonObject { ["disk"] = $"/dev/disk/by-id/ata-worker-{i}-1", ["policy"] = "Full", ["state"] = "Running", ["bytesDone"] = 4_000_781_611_008L, ["bytesTotal"] = 8_001_563_222_016L }),
                };
            }

            if (states[i] == "Failed")
            {
                host["status"]!["failureReason"] = "kubeadm join exited with 1";
            }

            await lab.CreateAsync("machineinventories", host);
        }

        await lab.Admin.CoreV1.CreateNamespacedEventAsync(Event("worker-4.fail", "MachineInventory", "worker-4", "Warning", "BootstrapFailed", "kubeadm join exited with 1"), Objects.Ns);
        await lab.Admin.CoreV1.CreateNamespacedEventAsync(Event("cp-0.claimed", "MachineInventory", "cp-0", "Normal", "Claimed", "claimed by BaremetalMachine fleet/alpha-cp-0"), Objects.Ns);
    }

    public static Corev1Event Event(string name, string kind, string objectName, string type, string reason, string message) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Objects.Ns },
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = objectName, NamespaceProperty = Objects.Ns, ApiVersion = "infrastructure.cluster.x-k8s.io/v1beta1" },
        Type = type,
        Reason = reason,
        Message = message,
        Count = 1,
        LastTimestamp = DateTime.UtcNow,
        Source = new V1EventSource { Component = "immutableinfra-coordinator" },
    };
}
