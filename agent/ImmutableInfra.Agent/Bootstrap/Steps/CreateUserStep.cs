using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Creates a user through useradd unless the root's /etc/passwd already has it.</summary>
internal sealed class CreateUserStep(string user, string? shell, IReadOnlyList<string> groups) : BootstrapStep($"users {user}")
{
    public override async Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken)
    {
        if (PasswdFile.HomeOf(context.Root, user) is not null)
        {
            return;
        }

        var arguments = new List<string> { "--create-home" };
        if (!context.Root.IsRealRoot)
        {
            arguments.AddRange(["--root", context.Root.Directory]);
        }

        if (shell is not null)
        {
            arguments.AddRange(["--shell", shell]);
        }

        if (groups.Count > 0)
        {
            arguments.AddRange(["--groups", string.Join(',', groups)]);
        }

        arguments.Add(user);
        var result = await context.Runner.RunAsync(new CommandRequest("useradd", arguments, TimeSpan.FromMinutes(1)) { OutputEdgeBytes = 4096 }, cancellationToken)
            .ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new BootstrapStepFailedException($"useradd {user} failed with exit code {result.ExitCode}");
        }
    }
}
