using ImmutableInfra.Agent.Bootstrap.Steps;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.CloudConfig;

/// <summary>Orders cloud-config modules into steps the way cloud-init's stages do.</summary>
internal static class CloudConfigPlanner
{
    private const string SudoersPath = "/etc/sudoers.d/90-cloud-init-users";

    private const UnixFileMode SudoersMode = UnixFileMode.UserRead | UnixFileMode.GroupRead;

    /// <summary>bootcmd, write_files, users, deferred write_files, runcmd (init, config and final stages).</summary>
    public static IReadOnlyList<BootstrapStep> Plan(CloudConfigDocument document)
    {
        var steps = new List<BootstrapStep>();
        steps.AddRange(document.BootCmd.Select((c, i) => new RunCommandStep($"bootcmd {i + 1}", c.FileName, c.Arguments)));
        steps.AddRange(document.WriteFiles.Where(f => !f.Defer).Select(WriteFile));
        foreach (var user in document.Users)
        {
            steps.Add(new CreateUserStep(user.Name, user.Shell, user.Groups));
            if (user.SshAuthorizedKeys.Count > 0)
            {
                steps.Add(new AuthorizedKeysStep(user.Name, user.SshAuthorizedKeys));
            }

            if (user.SudoRules.Count > 0)
            {
                // The file cloud-init itself uses, so an image's sudoers.d stays as its users know it.
                var rules = string.Concat(user.SudoRules.Select(r => $"{user.Name} {r}\n"));
                steps.Add(new WriteFileStep("users", SudoersPath, global::System.Text.Encoding.UTF8.GetBytes(rules), SudoersMode, null, append: true));
            }
        }

        steps.AddRange(document.WriteFiles.Where(f => f.Defer).Select(WriteFile));
        steps.AddRange(document.RunCmd.Select((c, i) => new RunCommandStep($"runcmd {i + 1}", c.FileName, c.Arguments)));
        return steps;
    }

    private static WriteFileStep WriteFile(CloudConfigFile file) =>
        new("write_files", HostRoot.Normalise(file.Path), file.Content, file.Mode, file.Owner, file.Append);
}
