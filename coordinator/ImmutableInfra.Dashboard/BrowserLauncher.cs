using System.Diagnostics;

namespace ImmutableInfra.Dashboard;

/// <summary>Opens a URL in the user's browser with xdg-open when it is installed; the caller prints the URL either way.</summary>
internal static class BrowserLauncher
{
    public static bool TryOpen(Uri url)
    {
        var xdgOpen = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "xdg-open")).FirstOrDefault(File.Exists);
        if (xdgOpen is null)
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(xdgOpen, url.ToString()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
