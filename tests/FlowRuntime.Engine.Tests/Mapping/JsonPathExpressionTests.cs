using System.Text.Json.Nodes;
using FlowRuntime.Engine.Mapping;

namespace FlowRuntime.Engine.Tests.Mapping;

public sealed class JsonPathExpressionTests
{
    private static readonly JsonNode Body = JsonNode.Parse("""
        {"data": {"last_name": "Lovelace", "items": [{"id": 1}, {"id": 2, "tags": ["x"]}], "nested": {"id": 3}}}
        """)!;

    [Theory]
    [InlineData("data.last_name", "\"Lovelace\"")]
    [InlineData("data.items[0].id", "1")]
    [InlineData("data.items[1].tags", "[\"x\"]")]
    [InlineData("$.data.last_name", "\"Lovelace\"")]
    [InlineData("$..id", "[1,2,3]")]
    [InlineData("$.data.items[*].id", "[1,2]")]
    [InlineData("$.data.items[?(@.id == 2)].id", "[2]")]
    public void TryEvaluate_MatchingPath_ReturnsValue(string path, string expectedJson)
    {
        Assert.True(JsonPathExpression.Parse(path).TryEvaluate(Body, out var value));
        Assert.Equal(expectedJson, value!.ToJsonString());
    }

    [Theory]
    [InlineData("data.first_name")]
    [InlineData("data.items[9].id")]
    [InlineData("$..missing")]
    [InlineData("other")]
    public void TryEvaluate_NoMatch_ReturnsFalse(string path) =>
        Assert.False(JsonPathExpression.Parse(path).TryEvaluate(Body, out _));

    [Fact]
    public void Parse_InvalidJsonPath_Throws() =>
        Assert.Throws<ArgumentException>(() => JsonPathExpression.Parse("$.data[?(@.id =="));

    [Fact]
    public void TryEvaluate_ReturnsCopy_SoVariablesDoNotAliasTheBody()
    {
        JsonPathExpression.Parse("data.nested").TryEvaluate(Body, out var value);
        Assert.Null(value!.Parent);
    }

    [Fact]
    public void ParseCached_SamePath_ParsedOnce_InvalidPathStillThrows()
    {
        var first = JsonPathExpression.ParseCached("data.items[1].tags");

        Assert.Same(first, JsonPathExpression.ParseCached("data.items[1].tags"));
        Assert.True(first.TryEvaluate(Body, out var value));
        Assert.Equal("[\"x\"]", value!.ToJsonString());
        Assert.Throws<ArgumentException>(() => JsonPathExpression.ParseCached("$.data[?(@.id =="));
    }
}
