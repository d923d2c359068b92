using System.Net.Sockets;
using System.Text;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// sd_notify over the unix datagram socket in $NOTIFY_SOCKET ('@' prefix = abstract namespace).
/// Takes the path through its constructor so tests bind a real socket and read the datagrams.
/// </summary>
internal sealed class SdNotifier : ISdNotifier, IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;

    public SdNotifier(string? socketPath)
    {
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        // An abstract socket's name starts with a NUL byte; systemd writes it as '@'.
        _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool IsEnabled => _socket is not null;

    public static SdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public void Notify(string state)
    {
        if (_socket is null || _endpoint is null)
        {
            return;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint);
        }
        catch (SocketException)
        {
            // systemd gone (shutdown) or the socket was never there: notification is best effort by design.
        }
    }

    public void Dispose() => _socket?.Dispose();
}
