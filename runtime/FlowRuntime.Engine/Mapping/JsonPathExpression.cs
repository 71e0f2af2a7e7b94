using System.Text.Json.Nodes;
using FlowRuntime.Engine.Templates;
using Newtonsoft.Json.Linq;

namespace FlowRuntime.Engine.Mapping;

/// <summary>
/// A path into a JSON document: simple paths (<c>data.last_name</c>, <c>data.items[0].id</c>) are walked
/// directly on System.Text.Json nodes; full JSONPath (<c>$..id</c>, filters, wildcards) goes through
/// Newtonsoft's <c>SelectTokens</c>. Several matches map to an array.
/// </summary>
public sealed class JsonPathExpression
{
    private readonly TemplatePath? _simple;

    private JsonPathExpression(string path, TemplatePath? simple)
    {
        Path = path;
        _simple = simple;
    }

    public string Path { get; }

    // Steps map the same few paths on every run: parse each once. Bounded, because a path can be built from
    // variables; past the bound, paths are parsed per use.
    private const int MaxCached = 4096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonPathExpression> Cache = new(StringComparer.Ordinal);

    /// <summary><see cref="Parse"/>, memoized.</summary>
    public static JsonPathExpression ParseCached(string path)
    {
        if (Cache.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var parsed = Parse(path);
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(path, parsed);
        }

        return parsed;
    }

    public static JsonPathExpression Parse(string path)
    {
        var trimmed = path.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A JSON path cannot be empty.", nameof(path));
        }

        var simple = trimmed.StartsWith('$') ? null : TemplatePath.TryParse(trimmed);
        if (simple is null)
        {
            // Validate now so a bad path is a definition-time error, not a run-time surprise.
            try
            {
                new JObject().SelectTokens(trimmed).ToList();
            }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException or IndexOutOfRangeException or ArgumentException or FormatException)
            {
                throw new ArgumentException($"'{path}' is not a valid JSON path: {e.Message}", nameof(path), e);
            }
        }

        return new JsonPathExpression(trimmed, simple);
    }

    /// <summary>False when the path matches nothing.</summary>
    public bool TryEvaluate(JsonNode? document, out JsonNode? value)
    {
        if (_simple is not null)
        {
            if (document is JsonObject obj && obj.TryGetPropertyValue(_simple.Root, out var root) && _simple.TryResolve(root, out var found))
            {
                value = found?.DeepClone();
                return true;
            }

            value = null;
            return false;
        }

        var token = document is null ? JValue.CreateNull() : JToken.Parse(document.ToJsonString());
        var matches = token.SelectTokens(Path).ToList();
        if (matches.Count == 0)
        {
            value = null;
            return false;
        }

        value = matches.Count == 1 && !IsMultiMatchPath(Path)
            ? JsonNode.Parse(matches[0].ToString(Newtonsoft.Json.Formatting.None))
            : new JsonArray([.. matches.Select(m => JsonNode.Parse(m.ToString(Newtonsoft.Json.Formatting.None)))]);
        return true;
    }

    // `$..id` or `$.items[*].id` mean "all of them": keep an array even when one matched.
    private static bool IsMultiMatchPath(string path) => path.Contains("..", StringComparison.Ordinal) || path.Contains('*') || path.Contains("?(", StringComparison.Ordinal);
}
