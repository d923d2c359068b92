using System.Runtime.InteropServices;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads CPU model and topology from /proc/cpuinfo and /sys/devices/system/cpu.</summary>
internal sealed class CpuReader(HostRoot root)
{
    /// <summary>Whether /proc/cpuinfo lists the "hypervisor" flag (we run in a VM).</summary>
    public bool HasHypervisorFlag { get; private set; }

    public CpuInfo Read()
    {
        var processors = ParseCpuInfo(root.ReadText("/proc/cpuinfo") ?? string.Empty);
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<string>(StringComparer.Ordinal);
        foreach (var processor in processors)
        {
            // sysfs topology is authoritative; cpuinfo lacks physical/core ids on some architectures.
            var topology = $"/sys/devices/system/cpu/cpu{processor.Index}/topology/";
            var package = root.ReadTrimmed(topology + "physical_package_id") ?? processor.PhysicalId ?? "0";
            var core = root.ReadTrimmed(topology + "core_id") ?? processor.CoreId ?? processor.Index;
            sockets.Add(package);
            cores.Add(package + "/" + core);
        }

        return new CpuInfo
        {
            Model = processors.Select(p => p.Model).FirstOrDefault(m => m.Length > 0) ?? string.Empty,
            Sockets = (uint)sockets.Count,
            Cores = (uint)cores.Count,
            Threads = (uint)processors.Count,
            Architecture = root.ReadTrimmed("/proc/sys/kernel/arch") ?? RuntimeArchitecture(),
        };
    }

    private List<Processor> ParseCpuInfo(string text)
    {
        var processors = new List<Processor>();
        Processor? current = null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor":
                    current = new Processor { Index = value };
                    processors.Add(current);
                    break;
                case "model name" or "Model" or "cpu model" when current is not null && current.Model.Length == 0:
                    current.Model = value;
                    break;
                case "physical id" when current is not null:
                    current.PhysicalId = value;
                    break;
                case "core id" when current is not null:
                    current.CoreId = value;
                    break;
                case "flags" when value.Split(' ').Contains("hypervisor"):
                    HasHypervisorFlag = true;
                    break;
                default:
                    break;
            }
        }

        return processors;
    }

    private static string RuntimeArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.X86 => "i686",
        Architecture.Arm => "armv7l",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private sealed class Processor
    {
        public required string Index { get; init; }

        public string Model { get; set; } = string.Empty;

        public string? PhysicalId { get; set; }

        public string? CoreId { get; set; }
    }
}
