namespace ImmutableInfra.Dashboard.Kube;

/// <summary>What the dashboard can say about one resource it watches.</summary>
internal enum ResourceAccess
{
    /// <summary>Not listed yet.</summary>
    Loading,
    Synced,
    /// <summary>RBAC forbids the user to list it: pages say "not permitted".</summary>
    Forbidden,
    /// <summary>The last list or watch failed; what is shown is what was last seen.</summary>
    Failing,
}

/// <summary>The state of one watched resource and of the API server connection as a whole.</summary>
internal sealed class ApiHealth(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceAccess> _resources = new(StringComparer.Ordinal);
    private DateTimeOffset? _unreachableSince;
    private string? _lastError;

    /// <summary>Raised on every change of a resource's access or of the connection.</summary>
    public event Action? Changed;

    public (DateTimeOffset? UnreachableSince, string? Error) Connection
    {
        get
        {
            lock (_lock)
            {
                return (_unreachableSince, _lastError);
            }
        }
    }

    public ResourceAccess this[string resource]
    {
        get
        {
            lock (_lock)
            {
                return _resources.GetValueOrDefault(resource);
            }
        }
    }

    public void Set(string resource, ResourceAccess access)
    {
        bool changed;
        lock (_lock)
        {
            changed = _resources.GetValueOrDefault(resource) != access;
            _resources[resource] = access;
            if (access is ResourceAccess.Synced or ResourceAccess.Forbidden && _unreachableSince is not null)
            {
                (_unreachableSince, _lastError, changed) = (null, null, true);
            }
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>A call failed without an HTTP answer (or with a server error): the API server is away.</summary>
    public void Unreachable(string resource, string error)
    {
        lock (_lock)
        {
            _resources[resource] = ResourceAccess.Failing;
            _unreachableSince ??= time.GetUtcNow();
            _lastError = error;
        }

        Changed?.Invoke();
    }
}
