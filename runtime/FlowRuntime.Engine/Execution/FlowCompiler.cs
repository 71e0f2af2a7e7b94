using System.Collections.Frozen;
using System.Text.Json;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Engine.Execution;

/// <summary>Validates a definition against the registry (reporting every problem at once) and compiles it.</summary>
public sealed class FlowCompiler(ActivityRegistry registry)
{
    public IReadOnlyList<FlowValidationError> Validate(FlowDefinition definition)
    {
        var errors = new List<FlowValidationError>();
        TryCompile(definition, 0, errors);
        return errors;
    }

    /// <exception cref="FlowValidationException">The definition has problems; all of them are listed.</exception>
    public CompiledFlow Compile(FlowDefinition definition, int version)
    {
        var errors = new List<FlowValidationError>();
        return TryCompile(definition, version, errors) ?? throw new FlowValidationException(errors);
    }

    private CompiledFlow? TryCompile(FlowDefinition definition, int version, List<FlowValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            errors.Add(new(FlowErrorCodes.MissingName, "The flow needs a name."));
        }

        if (definition.Trigger is { Type: not "conversation" } trigger)
        {
            errors.Add(new(FlowErrorCodes.UnsupportedTrigger, $"Trigger type '{trigger.Type}' is not supported; use 'conversation'."));
        }

        var steps = new Dictionary<string, CompiledStep>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in definition.Activities)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                errors.Add(new(FlowErrorCodes.MissingActivityId, $"An activity of type '{node.Type}' has no id."));
                continue;
            }

            if (!seen.Add(node.Id))
            {
                errors.Add(new(FlowErrorCodes.DuplicateActivityId, $"Activity id '{node.Id}' is used more than once.", node.Id));
                continue;
            }

            if (CompileStep(node, errors) is { } step)
            {
                steps[node.Id] = step;
            }
        }

        var known = definition.Activities.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var next = new Dictionary<string, Dictionary<string, CompiledStep>>(StringComparer.Ordinal);
        foreach (var connection in definition.Connections)
        {
            CheckConnection(connection, known, steps, next, errors);
        }

        if (string.IsNullOrWhiteSpace(definition.Start))
        {
            errors.Add(new(FlowErrorCodes.MissingStart, "The flow has no start activity."));
        }
        else if (!known.Contains(definition.Start))
        {
            errors.Add(new(FlowErrorCodes.UnknownStart, $"The start activity '{definition.Start}' does not exist.", definition.Start));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        foreach (var (source, outcomes) in next)
        {
            steps[source].Next = outcomes.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return new CompiledFlow(definition.Id ?? "", version, definition, steps[definition.Start!], steps.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private CompiledStep? CompileStep(ActivityNode node, List<FlowValidationError> errors)
    {
        var descriptor = registry.Find(node.Type);
        if (descriptor is null)
        {
            errors.Add(new(FlowErrorCodes.UnknownActivityType, $"Activity '{node.Id}' has unknown type '{node.Type}'.", node.Id));
            return null;
        }

        var given = node.Inputs ?? new Dictionary<string, JsonElement>();
        foreach (var name in given.Keys.Where(n => !descriptor.Inputs.Any(i => i.Name == n)))
        {
            errors.Add(new(FlowErrorCodes.UnknownInput, $"Activity '{node.Id}' ({node.Type}) has no input '{name}'.", node.Id, name));
        }

        var bindings = new List<InputBinding>();
        foreach (var input in descriptor.Inputs)
        {
            var has = given.TryGetValue(input.Name, out var value) && !IsEmpty(value);
            if (!has && input.DefaultValue is not null)
            {
                value = JsonSerializer.SerializeToElement(input.DefaultValue);
                has = true;
            }

            if (!has)
            {
                if (input.Required)
                {
                    errors.Add(new(FlowErrorCodes.MissingRequiredInput, $"Activity '{node.Id}' ({node.Type}) needs a value for '{input.DisplayName}'.", node.Id, input.Name));
                }

                continue;
            }

            try
            {
                bindings.Add(InputBinding.Compile(input, value));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidOperationException or KeyNotFoundException)
            {
                errors.Add(new(FlowErrorCodes.InvalidInputValue, $"Activity '{node.Id}' ({node.Type}), input '{input.Name}': {e.Message}", node.Id, input.Name));
            }
        }

        return new CompiledStep(node.Id, descriptor, ActivatorUtilities.CreateFactory(descriptor.ClrType, []), [.. bindings]);
    }

    private static void CheckConnection(
        FlowConnection connection,
        HashSet<string> known,
        Dictionary<string, CompiledStep> steps,
        Dictionary<string, Dictionary<string, CompiledStep>> next,
        List<FlowValidationError> errors)
    {
        var danglingEnd = !known.Contains(connection.Source ?? "") ? connection.Source : !known.Contains(connection.Target ?? "") ? connection.Target : null;
        if (danglingEnd is not null || connection.Source is null || connection.Target is null)
        {
            errors.Add(new(FlowErrorCodes.DanglingConnection,
                $"The connection {connection.Source} → {connection.Target} refers to activity '{danglingEnd}' that does not exist.", connection.Source));
            return;
        }

        if (!steps.TryGetValue(connection.Source, out var source) || !steps.TryGetValue(connection.Target, out var target))
        {
            return; // the endpoint itself is invalid and already reported
        }

        var outcome = string.IsNullOrEmpty(connection.Outcome) ? "Done" : connection.Outcome;
        if (!source.Descriptor.Outcomes.Contains(outcome))
        {
            errors.Add(new(FlowErrorCodes.UnknownOutcome,
                $"Activity '{source.Id}' ({source.Descriptor.Type}) has no outcome '{outcome}'; it has {string.Join(", ", source.Descriptor.Outcomes)}.", source.Id));
            return;
        }

        var outcomes = next.TryGetValue(source.Id, out var existing) ? existing : next[source.Id] = new(StringComparer.Ordinal);
        if (!outcomes.TryAdd(outcome, target))
        {
            errors.Add(new(FlowErrorCodes.DuplicateConnection, $"Outcome '{outcome}' of activity '{source.Id}' is connected more than once.", source.Id));
        }
    }

    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0);
}
