using System.Net.Sockets;
using System.Text;
using ImmutableInfra.Agent.Hosting;

namespace ImmutableInfra.Agent.Tests.Hosting;

public sealed class SdNotifierTests
{
    private static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 10_000;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        var read = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    [Fact]
    public void Notify_PathSocket_DeliversTheDatagram()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("notify.sock");
        using var listener = Listen(path);
        using var notifier = new SdNotifier(path);

        notifier.Notify("READY=1\nSTATUS=idle");

        Assert.True(notifier.IsEnabled);
        Assert.Equal("READY=1\nSTATUS=idle", Receive(listener));
    }

    [Fact]
    public void Notify_AbstractSocket_DeliversTheDatagram()
    {
        var name = $"ii-agent-test-{Guid.NewGuid():N}";
        using var listener = Listen("\0" + name);
        using var notifier = new SdNotifier("@" + name);

        notifier.Notify("WATCHDOG=1");

        Assert.Equal("WATCHDOG=1", Receive(listener));
    }

    [Fact]
    public void Notify_WithoutSocket_IsANoOp()
    {
        using var notifier = new SdNotifier(null);

        notifier.Notify("READY=1");

        Assert.False(notifier.IsEnabled);
    }

    [Fact]
    public void Notify_SocketGone_DoesNotThrow()
    {
        using var dir = new TempDirectory();
        using var notifier = new SdNotifier(dir.Combine("absent.sock"));

        notifier.Notify("STOPPING=1");

        Assert.True(notifier.IsEnabled);
    }
}
