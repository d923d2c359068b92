using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using ImmutableInfra.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ImmutableInfra.Agent.Tests.Coordination;

/// <summary>
/// A coordinator that follows the contract closely enough for the agent: checks the pool token and
/// bearer credentials, records every message, sends its desired state after each hello, and can
/// drop streams, restart on the same port, or revoke credentials.
/// </summary>
internal sealed class FakeCoordinator : AgentService.AgentServiceBase, IAsyncDisposable
{
    public const string Pool = "default/workers";
    public const string Token = "pool-token-9f2c7e";
    public const string Namespace = "default";
    public const string InventoryName = "host-r650-07";

    private readonly ConcurrentDictionary<string, bool> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BootstrapData> _bootstrapData = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ActiveStream, bool> _streams = new();
    private readonly X509Certificate2? _certificate;
    private GrpcTestHost? _server;
    private CancellationTokenSource _shutdown = new();
    private int _issued;
    private int _bootstrapFetches;
    private DesiredState? _desired;

    private FakeCoordinator(X509Certificate2? certificate)
    {
        _certificate = certificate;
    }

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public ConcurrentQueue<RegisterRequest> Registrations { get; } = new();

    public ConcurrentQueue<SyncHello> Hellos { get; } = new();

    public ConcurrentQueue<string> SyncAuthorizations { get; } = new();

    /// <summary>Every message after the hellos, in arrival order.</summary>
    public ConcurrentQueue<AgentMessage> Messages { get; } = new();

    public int BootstrapFetches => Volatile.Read(ref _bootstrapFetches);

    public IEnumerable<ObservedState> States => Messages.Where(m => m.BodyCase == AgentMessage.BodyOneofCase.State).Select(m => m.State);

    public IEnumerable<string> IssuedCredentials => _credentials.Keys;

    public int OpenStreams => _streams.Count;

    /// <summary>The pacing Register hands out (null: none).</summary>
    public SyncSettings? Settings { get; set; }

    /// <summary>A plaintext (h2c) coordinator on a free loopback port.</summary>
    public static Task<FakeCoordinator> StartAsync() => StartAsync(certificate: null);

    /// <summary>A TLS coordinator presenting <paramref name="certificate"/>, or h2c when null.</summary>
    public static async Task<FakeCoordinator> StartAsync(X509Certificate2? certificate)
    {
        var coordinator = new FakeCoordinator(certificate);
        await coordinator.ListenAsync(port: 0);
        return coordinator;
    }

    /// <summary>A plaintext coordinator on a given loopback port (a coordinator coming back where an agent expects it).</summary>
    public static async Task<FakeCoordinator> StartOnAsync(int port)
    {
        var coordinator = new FakeCoordinator(certificate: null);
        await coordinator.ListenAsync(port);
        return coordinator;
    }

    public void ServeBootstrapData(string machineUid, byte[] data, BootstrapFormat format = BootstrapFormat.CloudConfig) =>
        _bootstrapData[machineUid] = new BootstrapData { Data = ByteString.CopyFrom(data), Format = format, Sha256 = Convert.ToHexStringLower(SHA256.HashData(data)) };

    /// <summary>Sets the desired state and sends it on every open stream (and after every later hello).</summary>
    public async Task SetDesiredAsync(DesiredState desired)
    {
        Volatile.Write(ref _desired, desired);
        foreach (var stream in _streams.Keys)
        {
            await stream.SendAsync(new CoordinatorMessage { Desired = desired });
        }
    }

    public async Task SendAsync(CoordinatorMessage message)
    {
        foreach (var stream in _streams.Keys)
        {
            await stream.SendAsync(message);
        }
    }

    /// <summary>Ends every open stream with UNAVAILABLE, as a replica shutting down does.</summary>
    public void DropStreams()
    {
        foreach (var stream in _streams.Keys)
        {
            stream.Drop();
        }
    }

    /// <summary>Stops the server and starts a new one on the same port.</summary>
    public async Task RestartAsync()
    {
        await _shutdown.CancelAsync();
        await _server!.DisposeAsync();
        _shutdown.Dispose();
        _shutdown = new CancellationTokenSource();
        await ListenAsync(Address.Port);
    }

    /// <summary>Forgets every credential it issued: the next Sync is UNAUTHENTICATED.</summary>
    public void RevokeCredentials() => _credentials.Clear();

    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        Registrations.Enqueue(request);
        if (request.Pool != Pool)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"pool {request.Pool} does not exist"));
        }

        if (request.RegistrationToken != Token)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "registration token does not match the pool's"));
        }

        if (request.Identity is null || (request.Identity.SystemUuid.Length == 0 && request.Identity.Macs.Count == 0))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "identity needs a system UUID or a MAC"));
        }

        var credential = $"host-credential-{Interlocked.Increment(ref _issued)}-{Guid.NewGuid():N}";
        _credentials[credential] = true;
        return Task.FromResult(new RegisterResponse { Namespace = Namespace, InventoryName = InventoryName, Credential = credential, Settings = Settings });
    }

    public override Task<BootstrapData> FetchBootstrapData(FetchBootstrapDataRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _bootstrapFetches);
        Authenticate(context);
        return _bootstrapData.TryGetValue(request.MachineUid, out var data)
            ? Task.FromResult(data)
            : throw new RpcException(new Status(StatusCode.NotFound, "no bootstrap data yet"));
    }

    public override async Task Sync(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
    {
        SyncAuthorizations.Enqueue(context.RequestHeaders.GetValue("authorization") ?? string.Empty);
        Authenticate(context);
        using var stream = new ActiveStream(responseStream, context.CancellationToken, _shutdown.Token);
        try
        {
            if (!await requestStream.MoveNext(stream.Token) || requestStream.Current.BodyCase != AgentMessage.BodyOneofCase.Hello)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "the first message must be a hello"));
            }

            Hellos.Enqueue(requestStream.Current.Hello);
            _streams[stream] = true;
            if (Volatile.Read(ref _desired) is { } desired)
            {
                await stream.SendAsync(new CoordinatorMessage { Desired = desired });
            }

            while (await requestStream.MoveNext(stream.Token))
            {
                Messages.Enqueue(requestStream.Current);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && stream.Token.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "coordinator replica shutting down"));
        }
        finally
        {
            _streams.TryRemove(stream, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _shutdown.CancelAsync();
        await _server.DisposeAsync();
        _server = null;
        _shutdown.Dispose();
    }

    private void Authenticate(ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization") ?? string.Empty;
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_credentials.ContainsKey(authorization["Bearer ".Length..]))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown credential"));
        }
    }

    private async Task ListenAsync(int port)
    {
        _server = await GrpcTestHost.StartAsync(services => services.AddSingleton(this), app => app.MapGrpcService<FakeCoordinator>(), _certificate, port);
        Address = _server.Address;
    }

    /// <summary>One open Sync stream; writes are serialised (the transport allows one at a time).</summary>
    private sealed class ActiveStream(IServerStreamWriter<CoordinatorMessage> writer, CancellationToken call, CancellationToken shutdown) : IDisposable
    {
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private readonly CancellationTokenSource _drop = CancellationTokenSource.CreateLinkedTokenSource(call, shutdown);

        public CancellationToken Token => _drop.Token;

        public async Task SendAsync(CoordinatorMessage message)
        {
            try
            {
                await _writeLock.WaitAsync();
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                await writer.WriteAsync(message, _drop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException or IOException or ObjectDisposedException)
            {
                // The stream ended meanwhile; the agent gets the state again after its next hello.
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public void Drop()
        {
            try
            {
                _drop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Ended on its own meanwhile.
            }
        }

        public void Dispose()
        {
            _drop.Dispose();
            _writeLock.Dispose();
        }
    }
}
