namespace ImmutableInfra.Agent.Vip;

/// <summary>What the arbiter reads of its Lease: who holds it, its fencing token, and the version that changes on every write.</summary>
internal sealed record LeaseRecord(string? Holder, int Transitions, string ResourceVersion)
{
    public bool Free => string.IsNullOrEmpty(Holder);
}
