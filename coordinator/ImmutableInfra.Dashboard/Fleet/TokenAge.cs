namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>What the dashboard may say about a pool's registration token: only its Secret's age, never its data.</summary>
internal sealed record TokenAge(TokenAccess Access, DateTimeOffset? Since);

internal enum TokenAccess
{
    Unknown,
    Present,
    Missing,
    /// <summary>RBAC forbids the user to read the Secret.</summary>
    NotPermitted,
}
