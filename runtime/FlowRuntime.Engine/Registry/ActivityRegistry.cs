using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;

namespace FlowRuntime.Engine.Registry;

/// <summary>Every step type known to this host, found by scanning assemblies once at start-up.</summary>
public sealed class ActivityRegistry
{
    private readonly FrozenDictionary<string, ActivityDescriptor> _byType;

    public ActivityRegistry(IEnumerable<Assembly> assemblies)
    {
        var descriptors = new Dictionary<string, ActivityDescriptor>(StringComparer.Ordinal);
        foreach (var type in assemblies.Distinct().SelectMany(SafeGetTypes))
        {
            if (type is { IsAbstract: false, IsClass: true } && typeof(Activity).IsAssignableFrom(type) &&
                type.GetCustomAttribute<ActivityAttribute>() is { } attribute)
            {
                if (descriptors.TryGetValue(attribute.Type, out var existing))
                {
                    throw new InvalidOperationException(
                        $"Activity type '{attribute.Type}' is declared by both {existing.ClrType.FullName} and {type.FullName}.");
                }

                descriptors[attribute.Type] = Describe(type, attribute);
            }
        }

        _byType = descriptors.ToFrozenDictionary(StringComparer.Ordinal);
        All = [.. _byType.Values.OrderBy(d => d.Category).ThenBy(d => d.DisplayName)];
    }

    public IReadOnlyList<ActivityDescriptor> All { get; }

    public ActivityDescriptor? Find(string type) => _byType.GetValueOrDefault(type);

    private static ActivityDescriptor Describe(Type type, ActivityAttribute attribute)
    {
        var outcomes = type.GetCustomAttribute<OutcomesAttribute>()?.Names ?? [OutcomeNames.Done];
        var inputs = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<InputAttribute>() is not null)
            .Select(p => DescribeInput(type, p, p.GetCustomAttribute<InputAttribute>()!))
            .ToList();
        return new ActivityDescriptor(
            attribute.Type,
            attribute.DisplayName ?? Humanize(attribute.Type),
            attribute.Category,
            attribute.Description,
            outcomes,
            inputs)
        { ClrType = type, DeferredTemplateRoots = attribute.DeferredTemplateRoots.ToHashSet(StringComparer.Ordinal) };
    }

    private static InputDescriptor DescribeInput(Type activity, PropertyInfo property, InputAttribute input)
    {
        var kind = InputKinds.Of(property.PropertyType)
            ?? throw new InvalidOperationException($"{activity.FullName}.{property.Name}: input type {property.PropertyType.Name} is not supported.");
        var options = input.Options ?? (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) switch
        {
            { IsEnum: true } e => Enum.GetNames(e),
            _ => null,
        };
        var uiHint = input.UIHint ?? kind switch
        {
            _ when options is not null => UIHints.Dropdown,
            InputKinds.Boolean => UIHints.Checkbox,
            InputKinds.Json => UIHints.Json,
            InputKinds.Dictionary => UIHints.KeyValue,
            _ => UIHints.SingleLine,
        };
        var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
        return new InputDescriptor(name, input.DisplayName ?? Humanize(property.Name), input.Description, kind, uiHint, options,
            input.DefaultValue, input.Required, input.Secret)
        { Property = property };
    }

    private static string Humanize(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + c : c.ToString()));

    private static IEnumerable<Type> SafeGetTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}

/// <summary>The input type names the designer understands.</summary>
public static class InputKinds
{
    public const string String = "string";
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string Json = "json";
    public const string Dictionary = "dictionary";
    public const string List = "list";

    public static string? Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) || type.IsEnum => String,
            _ when type == typeof(int) || type == typeof(long) || type == typeof(double) => Number,
            _ when type == typeof(bool) => Boolean,
            _ when type == typeof(JsonNode) => Json,
            _ when type == typeof(IReadOnlyDictionary<string, string>) => Dictionary,
            _ when type == typeof(IReadOnlyList<string>) || type == typeof(IReadOnlyList<int>) => List,
            _ => null,
        };
    }
}
