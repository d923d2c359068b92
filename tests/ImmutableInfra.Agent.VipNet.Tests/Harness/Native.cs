using System.Runtime.InteropServices;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>The two system calls the harness needs that .NET does not expose.</summary>
internal static partial class Native
{
    public const int CloneNewNet = 0x40000000;
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
