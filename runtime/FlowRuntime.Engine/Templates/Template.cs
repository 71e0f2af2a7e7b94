using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowRuntime.Engine.Templates;

/// <summary>
/// A string with <c>{{ path }}</c> or <c>&lt;&lt;path&gt;&gt;</c> placeholders, parsed once per flow version and
/// rendered per step. A placeholder whose text is not a variable path stays literal text.
/// </summary>
/// <remarks>
/// Our own renderer rather than Fluid: the product needs only variable substitution, both placeholder
/// syntaxes, a named error for a missing variable and deferred roots (<c>oauth</c>); parsing once and
/// rendering with one StringBuilder keeps the per-step cost to a few hundred nanoseconds.
/// </remarks>
public sealed class Template
{
    private readonly object[] _parts; // string literal or TemplatePath

    private Template(string source, object[] parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    /// <summary>True when there is nothing to substitute; <see cref="Source"/> is the value.</summary>
    public bool IsConstant => _parts.Length == 0 || (_parts.Length == 1 && _parts[0] is string);

    public IEnumerable<TemplatePath> Paths => _parts.OfType<TemplatePath>();

    public static Template Parse(string source)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < source.Length)
        {
            if (TryReadPlaceholder(source, i, "{{", "}}", out var path, out var next) ||
                TryReadPlaceholder(source, i, "<<", ">>", out path, out next))
            {
                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                parts.Add(path!);
                i = next;
            }
            else
            {
                literal.Append(source[i]);
                i++;
            }
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        return new Template(source, [.. parts]);
    }

    public string Render(ITemplateScope scope)
    {
        if (IsConstant)
        {
            return Source;
        }

        if (_parts.Length == 1)
        {
            return RenderPart(_parts[0], scope);
        }

        var builder = new StringBuilder(Source.Length + 32);
        foreach (var part in _parts)
        {
            builder.Append(RenderPart(part, scope));
        }

        return builder.ToString();
    }

    private static string RenderPart(object part, ITemplateScope scope)
    {
        if (part is string literal)
        {
            return literal;
        }

        var path = (TemplatePath)part;
        if (!scope.TryGetRoot(path.Root, out var root))
        {
            if (scope.IsDeferred(path.Root))
            {
                return DeferredPlaceholder.Mark(path);
            }

            throw new TemplateException(path.Text);
        }

        if (!path.TryResolve(root, out var value))
        {
            throw new TemplateException(path.Text);
        }

        return ToText(value);
    }

    /// <summary>Strings as they are; numbers, booleans, objects and arrays as JSON; null as empty.</summary>
    public static string ToText(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static bool TryReadPlaceholder(string source, int start, string open, string close, out TemplatePath? path, out int next)
    {
        path = null;
        next = start;
        if (string.CompareOrdinal(source, start, open, 0, open.Length) != 0)
        {
            return false;
        }

        var end = source.IndexOf(close, start + open.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        path = TemplatePath.TryParse(source[(start + open.Length)..end].Trim());
        next = end + close.Length;
        return path is not null;
    }
}

/// <summary>Where template roots come from: flow variables, plus extra roots such as <c>oauth</c>.</summary>
public interface ITemplateScope
{
    bool TryGetRoot(string name, out JsonNode? value);

    /// <summary>A deferred root is left for the step to resolve (see <see cref="DeferredPlaceholder"/>), e.g. <c>oauth</c> in the HTTP steps.</summary>
    bool IsDeferred(string name);
}

/// <summary>A placeholder named a variable that is not set.</summary>
public sealed class TemplateException(string path)
    : Exception($"Variable '{path}' is not set.")
{
    public const string ErrorCode = "variable_missing";

    public string Path { get; } = path;
}
