using System.Text.Json.Nodes;

namespace FlowRuntime.Engine.Templates;

/// <summary>A dotted variable path such as <c>contact.id</c> or <c>items[0].name</c>, parsed once.</summary>
public sealed class TemplatePath
{
    private readonly object[] _segments; // string = property, int = array index

    private TemplatePath(string text, string root, object[] segments)
    {
        Text = text;
        Root = root;
        _segments = segments;
    }

    public string Text { get; }

    public string Root { get; }

    /// <summary>Parses <c>name(.name|[index])*</c>; returns null for anything else.</summary>
    public static TemplatePath? TryParse(string text)
    {
        var segments = new List<object>();
        var i = 0;
        var root = ReadName(text, ref i);
        if (root is null)
        {
            return null;
        }

        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                var name = ReadName(text, ref i);
                if (name is null)
                {
                    return null;
                }

                segments.Add(name);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0 || !int.TryParse(text.AsSpan(i + 1, close - i - 1), out var index) || index < 0)
                {
                    return null;
                }

                segments.Add(index);
                i = close + 1;
            }
            else
            {
                return null;
            }
        }

        return new TemplatePath(text, root, [.. segments]);
    }

    /// <summary>Walks from the root value; false when any segment is missing.</summary>
    public bool TryResolve(JsonNode? rootValue, out JsonNode? value)
    {
        var current = rootValue;
        foreach (var segment in _segments)
        {
            switch (segment, current)
            {
                case (string name, JsonObject obj) when obj.TryGetPropertyValue(name, out var child):
                    current = child;
                    break;
                case (int index, JsonArray array) when index < array.Count:
                    current = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        value = current;
        return true;
    }

    private static string? ReadName(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '$'))
        {
            i++;
        }

        return i == start || char.IsDigit(text[start]) ? null : text[start..i];
    }
}
