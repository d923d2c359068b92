namespace ImmutableInfra.Agent.Configuration;

/// <summary>A problem with one configuration field.</summary>
internal sealed record ConfigIssue(string Field, string Problem)
{
    public override string ToString() => $"{Field}: {Problem}";
}
