using System.Text.Json.Nodes;
using FlowRuntime.Engine.Templates;

namespace FlowRuntime.Engine.Tests.Templates;

public sealed class TemplateTests
{
    private sealed class Scope(JsonObject variables, params string[] deferred) : ITemplateScope
    {
        public bool TryGetRoot(string name, out JsonNode? value) => variables.TryGetPropertyValue(name, out value);

        public bool IsDeferred(string name) => deferred.Contains(name);
    }

    private static readonly Scope Variables = new(new JsonObject
    {
        ["name"] = "Ada",
        ["contact"] = new JsonObject { ["id"] = "42", ["tags"] = new JsonArray("vip", "be") },
        ["count"] = 3,
        ["empty"] = null,
    });

    [Theory]
    [InlineData("Hello {{name}}", "Hello Ada")]
    [InlineData("Hello {{ name }}!", "Hello Ada!")]
    [InlineData("Hello <<name>>", "Hello Ada")]
    [InlineData("id={{contact.id}}&tag=<<contact.tags[1]>>", "id=42&tag=be")]
    [InlineData("{{count}} items", "3 items")]
    [InlineData("[{{empty}}]", "[]")]
    [InlineData("{{contact.tags}}", "[\"vip\",\"be\"]")]
    [InlineData("no placeholders", "no placeholders")]
    [InlineData("{{ not a path }} stays", "{{ not a path }} stays")]
    [InlineData("unclosed {{name", "unclosed {{name")]
    public void Render_KnownVariables_Substitutes(string source, string expected) =>
        Assert.Equal(expected, Template.Parse(source).Render(Variables));

    [Theory]
    [InlineData("Hi {{missing}}", "missing")]
    [InlineData("Hi {{contact.email}}", "contact.email")]
    [InlineData("Hi <<contact.tags[5]>>", "contact.tags[5]")]
    public void Render_MissingVariable_ThrowsNamedError(string source, string path)
    {
        var error = Assert.Throws<TemplateException>(() => Template.Parse(source).Render(Variables));
        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Render_DeferredRoot_IsLeftForLaterRender()
    {
        var scope = new Scope(new JsonObject { ["id"] = "7" }, "oauth");
        var rendered = Template.Parse("{{oauth.instance_url}}/x/{{id}}").Render(scope);

        Assert.EndsWith("/x/7", rendered);
        Assert.Equal("https://a/x/7", DeferredPlaceholder.Resolve(rendered, new Dictionary<string, JsonNode?> { ["oauth"] = new JsonObject { ["instance_url"] = "https://a" } }));
        Assert.Throws<TemplateException>(() => DeferredPlaceholder.Resolve(rendered, new Dictionary<string, JsonNode?>()));
    }

    [Fact]
    public void IsConstant_WithoutPlaceholders_IsTrue()
    {
        Assert.True(Template.Parse("plain").IsConstant);
        Assert.False(Template.Parse("x {{y}}").IsConstant);
    }
}
