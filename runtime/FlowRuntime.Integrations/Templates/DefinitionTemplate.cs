using System.Text.RegularExpressions;

namespace FlowRuntime.Integrations.Templates;

/// <summary>
/// Renders the placeholders of a templated integration definition (seed 001): <c>{{ redirect_url }}</c>,
/// <c>{{ CLIENT_ID }}</c> (integration variables), <c>{{ oauth.refresh_token }}</c> (saved token fields);
/// <c>&lt;&lt;name&gt;&gt;</c> is the same. A missing value is an error, never a silent "".
/// </summary>
internal static partial class DefinitionTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}|<<\s*([A-Za-z_][\w.\-]*)\s*>>")]
    private static partial Regex Placeholder();

    /// <summary>
    /// Renders <paramref name="template"/>. With <paramref name="urlEncode"/> the template is a URL: values in its
    /// query are escaped (<c>redirect_uri={{ redirect_url }}</c>), values before it are not (<c>{{ oauth.instance_url }}/token</c>).
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values, bool urlEncode)
    {
        var missing = new List<string>();
        var queryStart = template.IndexOf('?', StringComparison.Ordinal);
        var result = Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            if (!TryGet(values, name, out var value))
            {
                missing.Add(name);
                return "";
            }

            return urlEncode && queryStart >= 0 && m.Index > queryStart ? Uri.EscapeDataString(value) : value;
        });
        if (missing.Count > 0)
        {
            throw new TemplateValueMissingException(missing);
        }

        return result;
    }

    private static bool TryGet(IReadOnlyDictionary<string, string> values, string name, out string value)
    {
        // Variables are matched exactly first, then case-insensitively ({{CLIENT_ID}} vs {{client_id}}).
        if (values.TryGetValue(name, out value!))
        {
            return true;
        }

        foreach (var (key, v) in values)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        return false;
    }
}

/// <summary>A placeholder of a templated definition has no value. The message names the placeholders, never values.</summary>
internal sealed class TemplateValueMissingException(IReadOnlyList<string> names)
    : Exception($"The definition uses {string.Join(", ", names.Select(n => "{{ " + n + " }}"))}, which has no value.")
{
    public IReadOnlyList<string> Names { get; } = names;
}
