using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Packaging.Tests.Manifests;

/// <summary>
/// Least privilege, derived from what the coordinator really calls: the lab runs a whole cluster life
/// cycle with two leader-elected replicas against the in-memory API server, whose access log records
/// every (verb, group, resource, namespace) the replicas used. Each must be granted by the shipped
/// roles, and each grant must have been used (or be listed below with the reason it is not exercised).
/// </summary>
public sealed class RbacCoverageTests
{
    // Grants the lab cannot exercise, with why they are still needed.
    private static readonly Dictionary<(string Group, string Resource, string Verb), string> NotExercisedByTheLab = new()
    {
        // MachineInventoryController confirms that a claim's machine is really gone before releasing the host;
        // in the lab machines are deleted through their finalizer, so the claim is released before it is orphaned.
        [("infrastructure.cluster.x-k8s.io", "baremetalmachines", "get")] = "orphaned claim",
        // The registrar deletes a record it just made when writing its credential failed (HostRegistrar.RollBackAsync);
        // the lab's API server does not fail that write.
        [("infrastructure.cluster.x-k8s.io", "machineinventories", "delete")] = "registration rollback",
    };

    [Fact]
    public async Task EveryCallOfTheCoordinator_IsGranted_AndEveryGrantIsUsed()
    {
        var options = new LabOptions { Hosts = 6, ControlPlanes = 3, Workers = 2, Coordinators = 2, KubeadmTime = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(90) };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        Assert.Equal(0, await new LabRun(lab, TextWriter.Null).RunAsync(CancellationToken.None));
        // A graceful stop releases the leader Lease and deletes each replica's own Lease: calls too.
        await lab.StopCoordinatorsAsync();

        var calls = lab.Server.AccessLog.For(LabEnvironment.CoordinatorToken);
        var grants = Grant.Load(File.ReadAllText(Repository.Path("packaging/manifests/rbac.yaml")));

        var denied = calls.Where(c => !grants.Any(g => g.Allows(c))).Select(Describe).Order(StringComparer.Ordinal).ToList();
        Assert.True(denied.Count == 0, "the coordinator called what packaging/manifests/rbac.yaml does not grant:\n  " + string.Join("\n  ", denied));

        var unused = grants.SelectMany(g => g.Triples())
            .Where(t => !NotExercisedByTheLab.ContainsKey(t) && !calls.Any(c => (c.Group, c.Resource, c.Verb) == t))
            .Select(t => $"{t.Verb} {t.Resource}.{t.Group}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0, "packaging/manifests/rbac.yaml grants what the coordinator never calls:\n  " + string.Join("\n  ", unused));
    }

    private static string Describe(ApiAccess call) =>
        $"{call.Verb} {call.Resource}.{(call.Group.Length == 0 ? "core" : call.Group)} in {call.Namespace ?? "(all namespaces)"}";

    /// <summary>One rule of a ClusterRole (any namespace) or a Role (its own namespace only).</summary>
    private sealed record Grant(string[] Groups, string[] Resources, string[] Verbs, string? Namespace)
    {
        public static List<Grant> Load(string yaml) =>
        [
            .. YamlDocuments.Load(yaml)
                .Where(d => (string?)d["kind"] is "ClusterRole" or "Role")
                .SelectMany(role => role["rules"]!.AsArray().Select(rule => new Grant(
                    Strings(rule!["apiGroups"]), Strings(rule["resources"]), Strings(rule["verbs"]),
                    (string?)role["kind"] == "Role" ? (string?)role["metadata"]!["namespace"] : null))),
        ];

        public bool Allows(ApiAccess call) =>
            Groups.Contains(call.Group) && Resources.Contains(call.Resource) && Verbs.Contains(call.Verb)
            && (Namespace is null || Namespace == call.Namespace);

        public IEnumerable<(string Group, string Resource, string Verb)> Triples() =>
            from g in Groups from r in Resources from v in Verbs select (g, r, v);

        private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(v => (string)v!)];
    }
}
