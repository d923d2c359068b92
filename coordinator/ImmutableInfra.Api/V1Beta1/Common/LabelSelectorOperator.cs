using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The operators of a label selector requirement.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LabelSelectorOperator>))]
public enum LabelSelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
