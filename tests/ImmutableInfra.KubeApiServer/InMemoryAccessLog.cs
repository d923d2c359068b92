using System.Collections.Concurrent;

namespace ImmutableInfra.KubeApiServer;

/// <summary>
/// One kind of request a client made, in the terms RBAC authorizes: verb, API group, resource (with
/// <c>/status</c> for the subresource) and namespace (null for cluster-scoped or all-namespace requests).
/// </summary>
public sealed record ApiAccess(string? Token, string Verb, string Group, string Resource, string? Namespace);

/// <summary>
/// The distinct <see cref="ApiAccess"/>es the server has seen, with how often, so tests can check a role against
/// what a program really calls and count its requests. A tally, not a log: its size is bounded by
/// clients × verbs × resources × namespaces.
/// </summary>
public sealed class InMemoryAccessLog
{
    private readonly ConcurrentDictionary<ApiAccess, long> _seen = new();

    /// <summary>Everything seen so far, in no particular order.</summary>
    public IReadOnlyCollection<ApiAccess> Entries => [.. _seen.Keys];

    /// <summary>What the client with this bearer token did.</summary>
    public IReadOnlyList<ApiAccess> For(string token) => [.. _seen.Keys.Where(a => a.Token == token)];

    /// <summary>How many requests of this kind the server has seen.</summary>
    public long Count(ApiAccess access) => _seen.GetValueOrDefault(access);

    public void Clear() => _seen.Clear();

    internal void Record(ApiAccess access) => _seen.AddOrUpdate(access, 1, (_, n) => n + 1);
}
