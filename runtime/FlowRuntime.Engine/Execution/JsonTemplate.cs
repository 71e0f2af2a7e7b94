using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Engine.Templates;

namespace FlowRuntime.Engine.Execution;

/// <summary>
/// A JSON value whose string leaves are templates. Rendering substitutes inside each string, so a
/// variable's value can never break the JSON structure (no injection through <c>{"id":"{{id}}"}</c>).
/// </summary>
internal abstract class JsonTemplate
{
    public abstract JsonNode? Render(ITemplateScope scope);

    public static JsonTemplate Compile(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new ObjectTemplate([.. element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, Compile(p.Value)))]),
        JsonValueKind.Array => new ArrayTemplate([.. element.EnumerateArray().Select(Compile)]),
        JsonValueKind.String => new StringTemplate(Template.Parse(element.GetString()!)),
        _ => new ConstantTemplate(JsonNode.Parse(element.GetRawText())),
    };

    private sealed class ObjectTemplate(KeyValuePair<string, JsonTemplate>[] properties) : JsonTemplate
    {
        public override JsonNode Render(ITemplateScope scope)
        {
            var result = new JsonObject();
            foreach (var (name, value) in properties)
            {
                result[name] = value.Render(scope);
            }

            return result;
        }
    }

    private sealed class ArrayTemplate(JsonTemplate[] items) : JsonTemplate
    {
        public override JsonNode Render(ITemplateScope scope) => new JsonArray([.. items.Select(i => i.Render(scope))]);
    }

    private sealed class StringTemplate(Template template) : JsonTemplate
    {
        public override JsonNode Render(ITemplateScope scope) => JsonValue.Create(template.Render(scope));
    }

    private sealed class ConstantTemplate(JsonNode? value) : JsonTemplate
    {
        public override JsonNode? Render(ITemplateScope scope) => value?.DeepClone();
    }
}
