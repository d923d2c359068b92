using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Fixtures;

/// <summary>A test CRD kind: declared only by its spec/status types and a descriptor.</summary>
public sealed class Widget : KubeObject<WidgetSpec, WidgetStatus>
{
    public static ResourceDescriptor<Widget> Descriptor { get; } =
        new("test.immutableinfra.io", "v1", "widgets", "Widget", true, TestJsonContext.Default.Widget);
}

public sealed class WidgetSpec
{
    public string? Color { get; set; }

    public int? Size { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class WidgetStatus
{
    public string? Phase { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A wider view of the same kind, used to write fields the narrow view does not know.</summary>
public sealed class WideWidget : KubeObject<WideWidgetSpec, WidgetStatus>
{
    public static ResourceDescriptor<WideWidget> Descriptor { get; } =
        new("test.immutableinfra.io", "v1", "widgets", "Widget", true, TestJsonContext.Default.WideWidget);

    public string? TopLevelExtra { get; set; }
}

public sealed class WideWidgetSpec
{
    public string? Color { get; set; }

    public int? Size { get; set; }

    public WideNested? Nested { get; set; }
}

public sealed class WideNested
{
    public string? Deep { get; set; }

    public List<int>? Numbers { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Widget))]
[JsonSerializable(typeof(WideWidget))]
public sealed partial class TestJsonContext : JsonSerializerContext
{
}
