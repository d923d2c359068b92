namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The API string of each <see cref="HostState"/> (for field selectors, printing and logs), without reflection.</summary>
public static class HostStateNames
{
    /// <summary>Every state in life-cycle order.</summary>
    public static IReadOnlyList<HostState> All { get; } =
    [
        HostState.Registering, HostState.Available, HostState.Claimed, HostState.Provisioning, HostState.Provisioned,
        HostState.Deprovisioning, HostState.Maintenance, HostState.Offline, HostState.Failed,
    ];

    /// <summary>The string the API uses for the state.</summary>
    public static string ToApiString(this HostState state) => state switch
    {
        HostState.Registering => "Registering",
        HostState.Available => "Available",
        HostState.Claimed => "Claimed",
        HostState.Provisioning => "Provisioning",
        HostState.Provisioned => "Provisioned",
        HostState.Deprovisioning => "Deprovisioning",
        HostState.Maintenance => "Maintenance",
        HostState.Offline => "Offline",
        HostState.Failed => "Failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a host state"),
    };

    /// <summary>Parses the API string (case-sensitive, as the API is).</summary>
    public static bool TryParse(string? text, out HostState state)
    {
        foreach (var candidate in All)
        {
            if (candidate.ToApiString() == text)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
