using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Registry;
using FlowRuntime.Engine.Templates;

namespace FlowRuntime.Engine.Execution;

/// <summary>
/// One input of one step, compiled from the definition's JSON once per flow version: templates parsed,
/// constants converted, and a compiled property setter, so binding a step does no reflection or JSON parsing.
/// </summary>
internal sealed class InputBinding
{
    private readonly Action<Activity, object?> _setter;
    private readonly Func<ITemplateScope, object?> _produce;

    private InputBinding(InputDescriptor input, Action<Activity, object?> setter, Func<ITemplateScope, object?> produce)
    {
        Input = input;
        _setter = setter;
        _produce = produce;
    }

    public InputDescriptor Input { get; }

    public void Apply(Activity activity, ITemplateScope scope) => _setter(activity, _produce(scope));

    /// <summary>Compiles <paramref name="value"/> for <paramref name="input"/>; throws <see cref="FormatException"/> when it cannot fit.</summary>
    public static InputBinding Compile(InputDescriptor input, JsonElement value)
    {
        var type = input.Property.PropertyType;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return new InputBinding(input, CompileSetter(input), CompileProducer(target, value));
    }

    private static Func<ITemplateScope, object?> CompileProducer(Type target, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return _ => null;
        }

        if (target == typeof(JsonNode))
        {
            var node = JsonTemplate.Compile(value);
            return node.Render;
        }

        if (target == typeof(IReadOnlyDictionary<string, string>))
        {
            var entries = DictionaryEntries(value);
            return scope => entries.ToDictionary(e => e.Key, e => e.Value.Render(scope), StringComparer.Ordinal);
        }

        if (target == typeof(IReadOnlyList<string>) || target == typeof(IReadOnlyList<int>))
        {
            var items = value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Select(TextOf).Select(Template.Parse).ToArray()
                : [Template.Parse(TextOf(value))];
            return target == typeof(IReadOnlyList<int>)
                ? Checked(scope => (object)SplitList(items, scope).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(), items)
                : scope => SplitList(items, scope).ToArray();
        }

        var template = Template.Parse(TextOf(value));
        Func<string, object> convert = target switch
        {
            _ when target == typeof(string) => s => s,
            _ when target.IsEnum => s => Enum.Parse(target, s, ignoreCase: true),
            _ when target == typeof(int) => s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ when target == typeof(long) => s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ when target == typeof(double) => s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ when target == typeof(bool) => s => bool.Parse(s),
            _ => throw new FormatException($"Input type {target.Name} is not supported."),
        };
        if (template.IsConstant)
        {
            var constant = convert(template.Source); // a bad constant is a definition error, found now
            return _ => constant;
        }

        return scope =>
        {
            var text = template.Render(scope);
            try
            {
                return convert(text);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new ActivityFaultException("invalid_input_value", $"'{text}' is not a valid {target.Name}.");
            }
        };
    }

    // A list of constants is converted once at compile time so a bad number is a definition error.
    private static Func<ITemplateScope, object?> Checked(Func<ITemplateScope, object?> produce, Template[] items)
    {
        if (items.All(i => i.IsConstant))
        {
            var constant = produce(EmptyScope.Instance);
            return _ => constant;
        }

        return produce;
    }

    private static IEnumerable<string> SplitList(Template[] items, ITemplateScope scope) =>
        items.SelectMany(i => i.Render(scope).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static KeyValuePair<string, Template>[] DictionaryEntries(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => [.. value.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Template.Parse(TextOf(p.Value))))],
        // The designer's key-value editor may send [{ "key": "...", "value": "..." }].
        JsonValueKind.Array => [.. value.EnumerateArray().Select(e => KeyValuePair.Create(
            e.GetProperty("key").GetString() ?? throw new FormatException("A key cannot be null."),
            Template.Parse(e.TryGetProperty("value", out var v) ? TextOf(v) : "")))],
        _ => throw new FormatException("Expected an object of names and values."),
    };

    private static string TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "",
        _ => throw new FormatException($"Expected text, got {value.ValueKind.ToString().ToLowerInvariant()}."),
    };

    private static Action<Activity, object?> CompileSetter(InputDescriptor input)
    {
        var property = input.Property;
        var activity = Expression.Parameter(typeof(Activity), "activity");
        var value = Expression.Parameter(typeof(object), "value");
        var body = Expression.Assign(
            Expression.Property(Expression.Convert(activity, property.DeclaringType!), property),
            Expression.Convert(value, property.PropertyType));
        return Expression.Lambda<Action<Activity, object?>>(body, activity, value).Compile();
    }

    private sealed class EmptyScope : ITemplateScope
    {
        public static readonly EmptyScope Instance = new();

        public bool TryGetRoot(string name, out JsonNode? value)
        {
            value = null;
            return false;
        }

        public bool IsDeferred(string name) => false;
    }
}
