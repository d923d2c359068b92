namespace ImmutableInfra.Agent.Vip;

/// <summary>The host's interface addresses, read fresh on each call.</summary>
internal interface ILocalAddresses
{
    IReadOnlyList<LocalAddress> All();
}
