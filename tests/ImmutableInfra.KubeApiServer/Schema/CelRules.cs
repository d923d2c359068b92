using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cel;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Schema;

/// <summary>
/// Runs <c>x-kubernetes-validations</c> rules with the <c>Cel</c> package (a CEL-spec implementation): it handles
/// every form our CRDs use (has(), size(), in, ternaries, oldSelf transition rules), checked by the real-client
/// suite. What it does not add is Kubernetes' CEL library (quantity(), url(), isSorted()...) or the cost budget.
/// </summary>
internal sealed class CelRules
{
    private readonly CelEnvironment _environment = new(null, null);
    private readonly ConcurrentDictionary<string, CelProgramDelegate> _programs = new(StringComparer.Ordinal);

    /// <summary>Compiles every rule of a schema tree, so a rule that does not parse refuses the CRD, as in the real server.</summary>
    public void Compile(StructuralSchema schema, string path)
    {
        for (var i = 0; i < schema.Rules.Count; i++)
        {
            try
            {
                Program(schema.Rules[i].Rule);
            }
            catch (CelException e)
            {
                throw new SchemaException($"{path}.x-kubernetes-validations[{i}].rule", $"Invalid value: \"{schema.Rules[i].Rule}\": compilation failed: {e.Message}");
            }
        }

        foreach (var (name, property) in schema.Properties)
        {
            Compile(property, $"{path}.properties[{name}]");
        }

        if (schema.Items is { } items)
        {
            Compile(items, $"{path}.items");
        }

        if (schema.AdditionalProperties is { } additional)
        {
            Compile(additional, $"{path}.additionalProperties");
        }
    }

    /// <summary>Adds a cause for every rule of <paramref name="schema"/> that <paramref name="value"/> breaks.</summary>
    public void Check(StructuralSchema schema, JsonNode? value, JsonNode? previous, string path, List<FieldCause> causes)
    {
        foreach (var rule in schema.Rules)
        {
            if (rule.IsTransition && previous is null)
            {
                continue;
            }

            var variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = ToCel(value) };
            if (rule.IsTransition)
            {
                variables["oldSelf"] = ToCel(previous);
            }

            var field = rule.FieldPath is { Length: > 0 } fieldPath ? path + fieldPath : path;
            string? failure;
            try
            {
                failure = Program(rule.Rule).Invoke(variables) is true ? null : rule.Message ?? $"failed rule: {rule.Rule}";
            }
            catch (Exception e) when (e is CelException or InvalidCastException or KeyNotFoundException or InvalidOperationException)
            {
                failure = $"{e.Message} evaluating rule: {rule.Rule}";
            }

            if (failure is not null)
            {
                causes.Add(new FieldCause(field, rule.Reason ?? "FieldValueInvalid", $"Invalid value: {ObjectSchema.Render(value)}: {failure}"));
            }
        }
    }

    private CelProgramDelegate Program(string rule) => _programs.GetOrAdd(rule, r => _environment.Compile(r));

    // CEL sees objects as maps, arrays as lists, integers as int and other numbers as double.
    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToCel(p.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(ToCel).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d == Math.Floor(d) && Math.Abs(d) < long.MaxValue ? (long)d : d,
        _ => node.ToJsonString(),
    };
}
