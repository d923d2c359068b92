namespace ImmutableInfra.Grpc;

/// <summary>A call that ended with a non-OK status, with the trailers the peer sent.</summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates an exception for <paramref name="status"/> with no trailers.</summary>
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    /// <summary>Creates an exception for <paramref name="status"/> carrying <paramref name="trailers"/>.</summary>
    public RpcException(Status status, Metadata trailers)
        : base(status.ToString())
    {
        ArgumentNullException.ThrowIfNull(trailers);
        Status = status;
        Trailers = trailers;
    }

    /// <summary>Creates an exception for <paramref name="status"/> caused by <paramref name="innerException"/>.</summary>
    public RpcException(Status status, Exception? innerException)
        : base(status.ToString(), innerException)
    {
        Status = status;
        Trailers = new Metadata();
    }

    /// <summary>Creates an exception with status UNKNOWN (required by the exception design rules).</summary>
    public RpcException()
        : this(new Status(StatusCode.Unknown, string.Empty))
    {
    }

    /// <summary>Creates an exception with status UNKNOWN and <paramref name="message"/> as detail.</summary>
    public RpcException(string message)
        : this(new Status(StatusCode.Unknown, message))
    {
    }

    /// <summary>Creates an exception with status UNKNOWN, <paramref name="message"/> as detail and a cause.</summary>
    public RpcException(string message, Exception? innerException)
        : this(new Status(StatusCode.Unknown, message), innerException)
    {
    }

    /// <summary>The status the call ended with.</summary>
    public Status Status { get; }

    /// <summary>The status code the call ended with.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>The trailers sent with the status (empty when the failure was local).</summary>
    public Metadata Trailers { get; }
}
