using System.Text;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Adds SSH keys to a user's ~/.ssh/authorized_keys under the root, keeping keys already there.</summary>
internal sealed class AuthorizedKeysStep(string user, IReadOnlyList<string> keys) : BootstrapStep($"users {user} ssh_authorized_keys")
{
    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        var home = PasswdFile.HomeOf(context.Root, user) ?? (user == "root" ? "/root" : $"/home/{user}");
        var sshDir = context.Root.Resolve(home + "/.ssh");
        Directory.CreateDirectory(sshDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(sshDir, "authorized_keys");
        var existing = File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
        existing.AddRange(keys.Where(k => !existing.Contains(k)));
        AtomicFileWriter.Write(path, Encoding.UTF8.GetBytes(string.Join('\n', existing) + "\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await FileOwnership.ApplyAsync(context, sshDir, $"{user}:", cancellationToken).ConfigureAwait(false);
        await FileOwnership.ApplyAsync(context, path, $"{user}:", cancellationToken).ConfigureAwait(false);
    }
}
