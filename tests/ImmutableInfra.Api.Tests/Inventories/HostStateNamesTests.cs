using System.Text.Json;
using ImmutableInfra.Api.Tests.Fixtures;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Inventories;

public sealed class HostStateNamesTests
{
    [Fact]
    public void ApiString_IsWhatTheSerializerWrites_ForEveryState()
    {
        Assert.Equal(Enum.GetValues<HostState>(), HostStateNames.All);
        foreach (var state in HostStateNames.All)
        {
            Assert.Equal($"\"{state.ToApiString()}\"", JsonSerializer.Serialize(state, ApiJsonContext.Default.GetTypeInfo(typeof(HostState))!));
        }
    }

    [Fact]
    public void ApiString_ListsTheStatesTheCrdAllows()
    {
        var schema = Kind.Named("MachineInventory").Schema;
        var allowed = schema["properties"]!["status"]!["properties"]!["state"]!["enum"]!.AsArray().Select(v => (string)v!);

        Assert.Equal(allowed, HostStateNames.All.Select(s => s.ToApiString()));
    }

    [Fact]
    public void TryParse_RoundTripsEveryState_AndIsCaseSensitive()
    {
        foreach (var state in HostStateNames.All)
        {
            Assert.True(HostStateNames.TryParse(state.ToApiString(), out var parsed));
            Assert.Equal(state, parsed);
        }

        Assert.False(HostStateNames.TryParse("available", out _));
        Assert.False(HostStateNames.TryParse(null, out _));
    }
}
