using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Reads and writes a status's conditions the way Kubernetes API conventions ask.</summary>
public static class ConditionExtensions
{
    /// <summary>The condition of that type, or null.</summary>
    public static Condition? GetCondition(this IStatusWithConditions status, string type)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Conditions?.Find(c => c.Type == type);
    }

    /// <summary>Whether the condition of that type exists and is <c>True</c>.</summary>
    public static bool IsConditionTrue(this IStatusWithConditions status, string type) =>
        status.GetCondition(type)?.Status == ConditionStatus.True;

    /// <summary>
    /// Adds or updates the condition of <paramref name="type"/>. <c>lastTransitionTime</c> moves only when
    /// the status value changes, so it keeps saying since when the condition has held. Returns whether
    /// anything changed, so a controller can skip a write that would change nothing (API writes must scale
    /// with state changes, not with reconciles).
    /// </summary>
    public static bool SetCondition(
        this IStatusWithConditions status,
        string type,
        string conditionStatus,
        string reason,
        string? message,
        long? observedGeneration,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentException.ThrowIfNullOrEmpty(type);
        if (conditionStatus is not (ConditionStatus.True or ConditionStatus.False or ConditionStatus.Unknown))
        {
            throw new ArgumentOutOfRangeException(nameof(conditionStatus), conditionStatus, "must be True, False or Unknown");
        }

        status.Conditions ??= [];
        var existing = status.Conditions.Find(c => c.Type == type);
        if (existing is null)
        {
            status.Conditions.Add(new Condition
            {
                Type = type,
                Status = conditionStatus,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = now,
            });
            return true;
        }

        var changed = false;
        if (existing.Status != conditionStatus || existing.LastTransitionTime is null)
        {
            existing.Status = conditionStatus;
            existing.LastTransitionTime = now;
            changed = true;
        }

        if (existing.Reason != reason || existing.Message != message || existing.ObservedGeneration != observedGeneration)
        {
            existing.Reason = reason;
            existing.Message = message;
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }

        return changed;
    }

    /// <summary>Removes the condition of that type; returns whether there was one.</summary>
    public static bool RemoveCondition(this IStatusWithConditions status, string type)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Conditions?.RemoveAll(c => c.Type == type) > 0;
    }
}
