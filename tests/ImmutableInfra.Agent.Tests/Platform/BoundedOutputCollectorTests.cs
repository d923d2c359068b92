using System.Text;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Tests.Platform;

public sealed class BoundedOutputCollectorTests
{
    [Fact]
    public void Append_MoreThanTwoEdges_KeepsFirstAndLastAndCountsTheMiddle()
    {
        var collector = new BoundedOutputCollector(4);
        foreach (var chunk in new[] { "abc", "defgh", "ijklmnop", "qr" })
        {
            collector.Append(Encoding.ASCII.GetBytes(chunk));
        }

        var output = collector.ToOutput();

        Assert.Equal("abcd", Encoding.ASCII.GetString(output.Head));
        Assert.Equal("opqr", Encoding.ASCII.GetString(output.Tail));
        Assert.Equal(10, output.DroppedBytes);
        Assert.Equal(18, output.TotalBytes);
    }

    [Fact]
    public void Append_LessThanOneEdge_KeepsEverything()
    {
        var collector = new BoundedOutputCollector(16);
        collector.Append("hello"u8);

        Assert.Equal("hello", collector.ToOutput().ToString());
    }
}
