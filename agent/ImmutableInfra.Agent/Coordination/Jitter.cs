namespace ImmutableInfra.Agent.Coordination;

/// <summary>The randomness behind retry and heartbeat jitter.</summary>
internal static class Jitter
{
#pragma warning disable CA5394 // Jitter only spreads load; nothing depends on it being unpredictable.
    public static double Sample() => Random.Shared.NextDouble();
#pragma warning restore CA5394

    /// <summary><paramref name="interval"/> shortened by up to <paramref name="fraction"/> (never lengthened, so deadlines based on it still hold).</summary>
    public static TimeSpan Shorten(TimeSpan interval, double fraction, Func<double> random) =>
        interval * (1 - (fraction * random()));
}
