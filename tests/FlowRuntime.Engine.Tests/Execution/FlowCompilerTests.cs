using FlowRuntime.Engine.Definitions;

namespace FlowRuntime.Engine.Tests.Execution;

public sealed class FlowCompilerTests
{
    private readonly EngineHarness _engine = new();

    private IReadOnlyList<FlowValidationError> Validate(string json) => _engine.Compiler.Validate(FlowJson.Deserialize(json));

    [Fact]
    public void Validate_ValidFlow_HasNoErrors() =>
        Assert.Empty(Validate(EngineHarness.Chain(("a", "SendMessage", new { text = "hi" }))));

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var errors = Validate("""
            {"id":"x","name":"X","start":"nowhere","activities":[
              {"id":"a","type":"Nope"},
              {"id":"b","type":"SendMessage","inputs":{"bogus":"1"}},
              {"id":"b","type":"SendMessage","inputs":{"text":"dup"}},
              {"id":"c","type":"TestTyped","inputs":{"count":"many"}}],
             "connections":[{"source":"b","outcome":"Done","target":"zz"},{"source":"c","outcome":"Nope","target":"b"}]}
            """);

        Assert.Equal(
            [
                FlowErrorCodes.UnknownActivityType, FlowErrorCodes.UnknownInput, FlowErrorCodes.MissingRequiredInput,
                FlowErrorCodes.DuplicateActivityId, FlowErrorCodes.InvalidInputValue, FlowErrorCodes.DanglingConnection, FlowErrorCodes.UnknownOutcome,
                FlowErrorCodes.UnknownStart,
            ],
            errors.Select(e => e.Code));
        Assert.Contains(errors, e => e is { Code: FlowErrorCodes.UnknownInput, ActivityId: "b", Input: "bogus" });
    }

    [Fact]
    public void Validate_UnknownOutcome_IsReported()
    {
        var errors = Validate("""
            {"id":"x","name":"X","start":"a","activities":[{"id":"a","type":"SendMessage","inputs":{"text":"x"}},{"id":"b","type":"SendMessage","inputs":{"text":"y"}}],
             "connections":[{"source":"a","outcome":"True","target":"b"}]}
            """);

        var error = Assert.Single(errors);
        Assert.Equal(FlowErrorCodes.UnknownOutcome, error.Code);
        Assert.Contains("Done", error.Message);
    }

    [Fact]
    public void Validate_NoStartNoName_AreReported()
    {
        var errors = Validate("""{"activities":[]}""");

        Assert.Equal([FlowErrorCodes.MissingName, FlowErrorCodes.MissingStart], errors.Select(e => e.Code));
    }

    [Fact]
    public void Compile_InvalidFlow_ThrowsWithAllErrors()
    {
        var error = Assert.Throws<FlowValidationException>(() => _engine.Compile("""{"name":"X","start":"a","activities":[{"id":"a","type":"Nope"}]}"""));
        Assert.Single(error.Errors);
    }

    [Fact]
    public void Registry_DescribesInputsForDesigner()
    {
        var ask = _engine.Services.GetService(typeof(Registry.ActivityRegistry)) as Registry.ActivityRegistry;
        var descriptor = ask!.Find("AskQuestion")!;

        Assert.Equal("Conversation", descriptor.Category);
        Assert.Equal(["Done"], descriptor.Outcomes);
        Assert.Equal(["text", "variable"], descriptor.Inputs.Select(i => i.Name));
        Assert.All(descriptor.Inputs, i => Assert.True(i.Required));
        Assert.Equal(["True", "False"], ask.Find("Branch")!.Outcomes);
        Assert.Equal("code", ask.Find("Branch")!.Inputs[0].UIHint);
    }
}
