namespace ImmutableInfra.Dashboard.Tests.Support;

/// <summary>Waits for a condition the system reaches asynchronously, with an upper bound that only a broken system hits.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task True(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not reached within {Bound.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static Task True(Func<bool> condition, string what) => True(() => Task.FromResult(condition()), what);
}
