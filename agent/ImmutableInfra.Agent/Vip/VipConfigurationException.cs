namespace ImmutableInfra.Agent.Vip;

/// <summary>The VIP role cannot be turned into a keepalived configuration on this host (bad literal, no interface on the VIP's subnet).</summary>
internal sealed class VipConfigurationException(string message) : Exception(message);
