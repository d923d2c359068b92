using System.Collections.Concurrent;
using System.Diagnostics;

namespace ImmutableInfra.AgentApi.Tests.Interop;

/// <summary>
/// A python3-grpcio peer run with Debian's /usr/bin/python3 (the PATH python lacks grpc).
/// Every run is bounded in time and the process tree is killed on dispose.
/// </summary>
internal sealed class PythonProcess : IDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly System.Text.StringBuilder _stderr = new();

    private PythonProcess(Process process)
    {
        _process = process;
    }

    public static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "python", name);

    public static PythonProcess Start(string script, params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3-grpcio python3-protobuf");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(AppContext.BaseDirectory, "python"),
        };
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add(ScriptPath(script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var python = new PythonProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                python._lines.Enqueue(e.Data);
                python._lineArrived.Release();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (python._stderr)
                {
                    python._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return python;
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    /// <summary>Waits for a stdout line starting with <paramref name="prefix"/>; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (match is not null)
            {
                return match;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || _process.HasExited && _lineArrived.CurrentCount == 0 && !_lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
            {
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(100);
                    match = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
                    if (match is not null)
                    {
                        return match;
                    }
                }

                Assert.Fail($"No '{prefix}' line from python within {timeout}. stdout: {string.Join(" | ", _lines)} stderr: {StandardError}");
            }

            await _lineArrived.WaitAsync(remaining < TimeSpan.FromMilliseconds(200) ? remaining : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Writes a line to the script's stdin (a go signal for scenarios that must not race the server).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for exit; kills the process and fails the test after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"python did not exit within {timeout}. stdout: {string.Join(" | ", _lines)} stderr: {StandardError}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }
}
