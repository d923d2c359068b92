using System.Diagnostics;

namespace ImmutableInfra.Agent.Tests.Reset;

/// <summary>A sparse file attached as a loop device; detached and deleted at dispose, also when the test failed.</summary>
internal sealed class LoopDevice : IDisposable
{
    private readonly TempDirectory _dir = new();

    public LoopDevice(long bytes)
    {
        var image = _dir.Combine("disk.img");
        using (var file = File.Create(image))
        {
            file.SetLength(bytes);
        }

        DevicePath = Shell.Run("losetup", "--find", "--show", image).Trim();
    }

    public string DevicePath { get; }

    public string Name => Path.GetFileName(DevicePath);

    public byte[] Read(long offset, int count)
    {
        using var stream = new FileStream(DevicePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }

    public void Write(long offset, byte[] data)
    {
        using var stream = new FileStream(DevicePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        stream.Write(data);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Signature types wipefs finds (without --all it only lists).</summary>
    public string Signatures() => Shell.Run("wipefs", "--noheadings", "--output", "TYPE", DevicePath).Trim();

    public void Dispose()
    {
        Shell.TryRun("losetup", "--detach", DevicePath);
        _dir.Dispose();
    }
}

/// <summary>A filesystem mounted on a temp directory; unmounted at dispose.</summary>
internal sealed class TempMount : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TempMount(string device)
    {
        Shell.Run("mount", device, _dir.Path);
    }

    public void Dispose()
    {
        Shell.TryRun("umount", _dir.Path);
        _dir.Dispose();
    }
}

/// <summary>Runs the test's own setup tools (not the code under test).</summary>
internal static class Shell
{
    public static string Run(string file, params string[] arguments)
    {
        var (code, output, error) = Execute(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {error}");
    }

    public static void TryRun(string file, params string[] arguments) => Execute(file, arguments);

    public static void RunWithInput(string input, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {process.ExitCode}: {error.Result}");
        }
    }

    private static (int Code, string Output, string Error) Execute(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
