using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>
/// A thread that lives inside one network namespace (setns is per thread). Sockets it creates stay in that
/// namespace wherever they are used afterwards, and netlink reads it makes see that namespace's interfaces.
/// </summary>
internal sealed class NetnsThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NetnsThread(string netns)
    {
        Name = netns;
        _thread = new Thread(() => Loop(netns)) { IsBackground = true, Name = "netns " + netns };
        _thread.Start();
        _entered.Task.Wait(TimeSpan.FromSeconds(10));
        if (!_entered.Task.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException($"could not enter network namespace {netns}", _entered.Task.Exception);
        }
    }

    public string Name { get; }

    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    public Task<Socket> CreateTcpSocketAsync(AddressFamily family) => RunAsync(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });

    /// <summary>Whether <paramref name="interfaceName"/> carries <paramref name="address"/> (getifaddrs over netlink, in this namespace).</summary>
    public Task<bool> HasAddressAsync(string interfaceName, IPAddress address) => RunAsync(() =>
        NetworkInterface.GetAllNetworkInterfaces().Any(n => n.Name == interfaceName && n.GetIPProperties().UnicastAddresses.Any(a => a.Address.Equals(address))));

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _work.Dispose();
    }

    private void Loop(string netns)
    {
        try
        {
            using (var handle = File.OpenHandle("/run/netns/" + netns))
            {
                if (Native.SetNs((int)handle.DangerousGetHandle(), Native.CloneNewNet) != 0)
                {
                    throw new IOException($"setns({netns}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                }
            }

            _entered.SetResult();
        }
        catch (Exception e)
        {
            _entered.SetException(e);
            return;
        }

        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }
}
