namespace ImmutableInfra.Grpc;

/// <summary>Per-call options: request metadata, an absolute deadline and a cancellation token.</summary>
/// <param name="Headers">Metadata sent with the request headers.</param>
/// <param name="Deadline">When the call expires; sent as grpc-timeout and enforced locally. Null for none.</param>
/// <param name="CancellationToken">Cancels the call (status CANCELLED) and resets its HTTP/2 stream.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTimeOffset? Deadline = null, CancellationToken CancellationToken = default);
