using System.Net;

namespace ImmutableInfra.Agent.Vip;

/// <summary>A rendered keepalived.conf and the facts the renderer resolved on the way.</summary>
internal sealed record KeepalivedConfig(string Text, IPAddress Vip, string Interface, IPAddress OwnAddress);
