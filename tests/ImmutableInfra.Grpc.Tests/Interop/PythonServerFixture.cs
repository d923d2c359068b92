using System.Globalization;

namespace ImmutableInfra.Grpc.Tests.Interop;

/// <summary>One python3-grpcio Echo server (max receive 64 KiB) shared by the tests of a class.</summary>
public sealed class PythonServerFixture : IAsyncLifetime
{
    public const int Limit = 64 * 1024;

    private PythonProcess? _python;

    public Uri Address { get; private set; } = null!;

    internal PythonProcess Process => _python!;

    public async Task InitializeAsync()
    {
        _python = PythonProcess.Start("interop_server.py", Limit.ToString(CultureInfo.InvariantCulture));
        var line = await _python.WaitForLineAsync("PORT ", TimeSpan.FromSeconds(30));
        Address = new Uri($"http://127.0.0.1:{int.Parse(line[5..], CultureInfo.InvariantCulture)}");
    }

    public Task DisposeAsync()
    {
        _python?.Dispose();
        return Task.CompletedTask;
    }
}
