using System.Globalization;

namespace ImmutableInfra.Grpc.Benchmarks;

/// <summary>Command-line options: --seconds, --warmup, --concurrency, --sizes.</summary>
internal sealed record BenchOptions(TimeSpan Duration, TimeSpan Warmup, int Concurrency, int[] Sizes)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 16, [64, 4096]);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--alloc-profile")
            {
                i--;
                continue;
            }

            var value = args[i + 1];
            options = args[i] switch
            {
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--sizes" => options with { Sizes = value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --seconds N --warmup N --concurrency N --sizes 64,4096"),
            };
        }

        return options;
    }
}
