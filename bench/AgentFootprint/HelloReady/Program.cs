using System.Net.Sockets;
using System.Runtime.InteropServices;

// READY=1 to $NOTIFY_SOCKET, then block until SIGTERM: the agent's start-to-READY and idle RSS minus the agent.
if (Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } path)
{
    using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    socket.SendTo("READY=1"u8, new UnixDomainSocketEndPoint(path));
}

using var stopped = new ManualResetEventSlim();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopped.Set();
});
stopped.Wait();
