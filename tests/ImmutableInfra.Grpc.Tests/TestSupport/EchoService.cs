using Google.Protobuf;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.TestSupport;

/// <summary>The test Echo service: behaviour is driven by fields of the request.</summary>
internal sealed class EchoService
{
    public TaskCompletionSource<bool> HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when a handler starts waiting out a delay (and observing cancellation).</summary>
    public TaskCompletionSource<bool> HandlerStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServerServiceDefinition Bind() =>
        ServerServiceDefinition.CreateBuilder(EchoReflection.Descriptor.Services[0])
            .AddUnary<EchoRequest, EchoReply>("Unary", UnaryAsync)
            .AddServerStreaming<EchoRequest, EchoReply>("ServerStream", ServerStreamAsync)
            .AddClientStreaming<EchoRequest, EchoReply>("ClientStream", ClientStreamAsync)
            .AddDuplexStreaming<EchoRequest, EchoReply>("Duplex", DuplexAsync)
            .Build();

    private async Task<EchoReply> UnaryAsync(EchoRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        await ApplyAsync(request, context);
        return Reply(request, 0, 1, context);
    }

    private async Task ServerStreamAsync(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        for (var i = 0; i < request.Repeat; i++)
        {
            await responses.WriteAsync(Reply(request, i, request.Repeat));
        }

        await ApplyAsync(request, context);
    }

    private async Task<EchoReply> ClientStreamAsync(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var count = 0;
        var text = new System.Text.StringBuilder();
        EchoRequest? last = null;
        while (await requests.MoveNext(context.CancellationToken))
        {
            last = requests.Current;
            text.Append(last.Text);
            count++;
            await ApplyAsync(last, context);
        }

        return new EchoReply { Text = text.ToString(), Count = count, Payload = last?.Payload ?? ByteString.Empty };
    }

    private async Task DuplexAsync(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        var index = 0;
        while (await requests.MoveNext(context.CancellationToken))
        {
            var request = requests.Current;
            await ApplyAsync(request, context);
            await responses.WriteAsync(Reply(request, index++, 0));
        }
    }

    private static EchoReply Reply(EchoRequest request, int index, int count, ServerCallContext? context = null) => new()
    {
        Text = request.Text == "whoami" && context is not null ? $"{context.Peer}|{context.ClientCertificate?.Subject}" : request.Text,
        Payload = request.ReplySize > 0 ? ByteString.CopyFrom(new byte[request.ReplySize]) : request.Payload,
        Index = index,
        Count = count,
    };

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (var entry in context.RequestHeaders)
        {
            if (entry.Key.StartsWith("x-echo", StringComparison.Ordinal))
            {
                echoed.Add(entry);
                context.ResponseTrailers.Add(entry.IsBinary
                    ? new MetadataEntry("x-trailer" + entry.Key[6..], entry.ValueBytes)
                    : new MetadataEntry("x-trailer" + entry.Key[6..], entry.Value));
            }
        }

        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
    }

    private async Task ApplyAsync(EchoRequest request, ServerCallContext context)
    {
        if (request.DelayMs > 0)
        {
            using var registration = context.CancellationToken.Register(() => HandlerCancelled.TrySetResult(true));
            HandlerStarted.TrySetResult(true);
            await Task.Delay(request.DelayMs, request.IgnoreCancellation ? CancellationToken.None : context.CancellationToken);
        }

        if (request.ThrowPlain)
        {
            throw new InvalidOperationException("secret internal detail");
        }

        if (request.FailCode != 0)
        {
            var trailers = new Metadata().Add("x-failure", "yes").Add("x-failure-bin", new byte[] { 0, 1, 2, 255 });
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage), trailers);
        }
    }
}
