using System.Runtime.CompilerServices;
using ImmutableInfra.Agent.VipNet.Harness;

namespace ImmutableInfra.Agent.VipNet.Tests;

/// <summary>
/// keepalived's own parser (`keepalived -t`) accepts every golden configuration, IPVS virtual servers and the
/// sign-of-life script included (this kernel has no IPVS, so the network scenarios run VRRP only), in a
/// namespace whose interface carries the golden files' name and addresses.
/// </summary>
[Collection(VipLabScenarios.Name)]
public sealed class KeepalivedConfigCheckTests
{
    [Fact]
    public async Task EveryGoldenConfiguration_PassesKeepalivedsOwnCheck()
    {
        var ns = "kc" + Random.Shared.Next(0x1000, 0xFFFF).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
        await Shell.RunAsync($"ip netns add {ns} && ip -n {ns} link add ens3 type veth peer name peer0 && ip -n {ns} addr add 198.18.0.11/24 dev ens3 "
            + $"&& ip -n {ns} addr add 2001:db8:10::11/64 dev ens3 nodad && ip -n {ns} link set ens3 up && ip -n {ns} link set peer0 up");
        try
        {
            var golden = Directory.GetFiles(GoldenDirectory(), "keepalived-*.conf");
            Assert.NotEmpty(golden);
            foreach (var file in golden)
            {
                var result = await Shell.RunAsync($"ip netns exec {ns} keepalived -t -l -f {file} 2>&1; echo \"rc=$?\"", check: false);
                Assert.True(result.TrimEnd().EndsWith("rc=0", StringComparison.Ordinal), $"{Path.GetFileName(file)}: {result}");
            }
        }
        finally
        {
            await Shell.RunAsync($"ip netns del {ns}", check: false);
        }
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "..", "ImmutableInfra.Agent.Tests", "Vip", "golden");
}
