using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FlowRuntime.Engine.Templates;

/// <summary>
/// A placeholder whose root a step fills in itself (e.g. <c>{{ oauth.instance_url }}</c>, known only once the
/// step picked its integration). The first render leaves a marker carrying a per-process random nonce instead of
/// the placeholder text, so the step's second pass replaces exactly the placeholders the flow designer wrote:
/// text that came from variables (a user typing <c>{{ x }}</c>) is never rendered again.
/// </summary>
public static class DeferredPlaceholder
{
    private static readonly string Open = "\u2060\u2060" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ":";
    private const string Close = "\u2060\u2060";

    public static string Mark(TemplatePath path) => Open + path.Text + Close;

    /// <summary>Replaces the markers in <paramref name="text"/> from <paramref name="roots"/>; a missing value is a named error.</summary>
    public static string Resolve(string text, IReadOnlyDictionary<string, JsonNode?> roots)
    {
        var start = text.IndexOf(Open, StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (start >= 0)
        {
            var end = text.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
            var path = TemplatePath.TryParse(text[(start + Open.Length)..end])!; // the engine wrote it: always a valid path
            if (!roots.TryGetValue(path.Root, out var root) || !path.TryResolve(root, out var value))
            {
                throw new TemplateException(path.Text);
            }

            builder.Append(text, position, start - position).Append(Template.ToText(value));
            position = end + Close.Length;
            start = text.IndexOf(Open, position, StringComparison.Ordinal);
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
