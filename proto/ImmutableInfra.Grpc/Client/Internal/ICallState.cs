namespace ImmutableInfra.Grpc.Internal;

/// <summary>What the public call objects expose of a running call, independent of its message types.</summary>
internal interface ICallState : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}
