using System.Globalization;
using ImmutableInfra.Agent.VipNet.Harness;

// Failover per scenario and time with two VIP holders, the agent's Lease arbiter over keepalived against plain
// keepalived with the same configuration and advert interval, in the same run. Needs root (network namespaces).
// Usage: vip-failover [--runs N] [--advert-ms MS]
var runs = Argument("--runs", 3);
var advert = TimeSpan.FromMilliseconds(Argument("--advert-ms", 100));
var stable = TimeSpan.FromSeconds(1);
var settle = TimeSpan.FromSeconds(4);

var scenarios = new (string Name, Func<VipCluster, int, Task<TimeSpan>> Fault)[]
{
    ("hard kill (SIGKILL + link down)", (c, h) => c.HardKillAsync(h)),
    ("holder loses the API", (c, h) => c.CutApiAsync(h)),
    ("VRRP cut between hosts", (c, _) => c.CutVrrpAsync()),
    ("graceful stop", (c, h) => c.GracefulStopAsync(h)),
};

var options = VipCluster.ArbiterOptions;
Console.WriteLine($"VIP failover: 3 hosts, advert {advert.TotalMilliseconds:0} ms, {runs} runs per cell; arbiter Lease {options.LeaseDuration.TotalSeconds:0.##} s / "
    + $"renew {options.RenewDeadline.TotalSeconds:0.##} s / retry {options.RetryPeriod.TotalSeconds:0.##} s; samples every 20 ms");
Console.WriteLine("failover = fault to the first sample with exactly one live holder other than the old one; two holders = time with >= 2 holders after the fault");
Console.WriteLine();
Console.WriteLine($"| {"scenario",-32} | {"VIP arbiter",-40} | {"plain keepalived",-40} |");
Console.WriteLine($"| {new string('-', 32)} | {new string('-', 40)} | {new string('-', 40)} |");

await using var lab = await VipLab.StartAsync();
foreach (var (name, fault) in scenarios)
{
    var cells = new List<string>();
    foreach (var arbitrated in new[] { true, false })
    {
        var outcomes = new List<FaultOutcome>();
        for (var run = 0; run < runs; run++)
        {
            await using var cluster = await lab.StartClusterAsync(arbitrated, advert);
            var holder = await cluster.WaitForSingleHolderAsync(stable, TimeSpan.FromSeconds(15));
            var at = await fault(cluster, holder);
            await VipCluster.RunForAsync(settle);
            outcomes.Add(cluster.Outcome(at, holder));
        }

        cells.Add(Cell(outcomes));
    }

    Console.WriteLine($"| {name,-32} | {cells[0],-40} | {cells[1],-40} |");
}

static string Cell(List<FaultOutcome> outcomes)
{
    var failovers = outcomes.Where(o => o.Failover is not null).Select(o => o.Failover!.Value.TotalMilliseconds).Order().ToList();
    var failover = failovers.Count == 0
        ? "no failover"
        : $"failover {failovers[failovers.Count / 2]:0} ms (max {failovers[^1]:0})" + (failovers.Count < outcomes.Count ? $" in {failovers.Count}/{outcomes.Count}" : string.Empty);
    var twoHolders = outcomes.Max(o => o.TwoHoldersAfterFault.TotalMilliseconds);
    return string.Create(CultureInfo.InvariantCulture, $"{failover}; two holders max {twoHolders:0} ms");
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
