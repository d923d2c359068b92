namespace ImmutableInfra.Agent.Bootstrap.CloudConfig;

/// <summary>The cloud-config modules the agent runs, already decoded and validated.</summary>
internal sealed record CloudConfigDocument(
    IReadOnlyList<CloudConfigFile> WriteFiles,
    IReadOnlyList<CloudConfigCommand> BootCmd,
    IReadOnlyList<CloudConfigCommand> RunCmd,
    IReadOnlyList<CloudConfigUser> Users);

/// <summary>A write_files entry with its content decoded.</summary>
internal sealed record CloudConfigFile(string Path, byte[] Content, UnixFileMode Mode, string Owner, bool Append, bool Defer);

/// <summary>A runcmd/bootcmd entry: a string runs through /bin/sh -c, a list is an argv.</summary>
internal sealed record CloudConfigCommand(string FileName, IReadOnlyList<string> Arguments);

/// <summary>A users entry.</summary>
internal sealed record CloudConfigUser(string Name, string? Shell, IReadOnlyList<string> Groups, IReadOnlyList<string> SshAuthorizedKeys, IReadOnlyList<string> SudoRules);
