namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The three values a condition's <c>status</c> may take.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
