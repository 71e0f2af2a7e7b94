using System.Text.Json.Nodes;
using FlowRuntime.Engine.Execution;

namespace FlowRuntime.Engine.Tests.Execution;

public sealed class FlowExecutorTests
{
    private readonly EngineHarness _engine = new();

    [Fact]
    public async Task Run_AskThenReply_SuspendsAndResumesWithAnswer()
    {
        var flow = _engine.Compile(EngineHarness.Chain(
            ("ask", "AskQuestion", new { text = "What is your name?", variable = "name" }),
            ("hello", "SendMessage", new { text = "Hello {{name}}" })));
        var instance = EngineHarness.NewInstance();

        var first = await _engine.RunAsync(flow, instance);
        Assert.Equal(FlowInstanceStatus.Suspended, first.Instance.Status);
        Assert.Equal("ask", first.Instance.Bookmark);
        Assert.Equal(["What is your name?"], first.Replies);

        var second = await _engine.RunAsync(flow, instance, "Ada");
        Assert.Equal(FlowInstanceStatus.Completed, second.Instance.Status);
        Assert.Equal(["Hello Ada"], second.Replies);
        Assert.Equal(["ask", "ask", "hello"], instance.Journal.Select(j => j.ActivityId));
    }

    [Fact]
    public async Task Run_VariableSnapshots_OnlyWhenTheRunAsksForThem()
    {
        var flow = _engine.Compile(EngineHarness.Chain(("hello", "SendMessage", new { text = "Hello {{name}}" })));
        var plain = EngineHarness.NewInstance();
        plain.Variables["name"] = "Ada";
        var shown = EngineHarness.NewInstance();
        shown.Variables["name"] = "Ada";

        await _engine.RunAsync(flow, plain);
        await _engine.RunAsync(flow, shown, journalVariables: true);

        Assert.Null(plain.Journal.Single().Variables);
        Assert.Equal("Ada", shown.Journal.Single().Variables!["name"]!.GetValue<string>());
        Assert.Equal(shown.Journal.Single() with { Variables = null, StartedAt = default, DurationMs = 0 },
            plain.Journal.Single() with { StartedAt = default, DurationMs = 0 }); // the rest is journaled either way
    }

    [Theory]
    [InlineData("Ada", "welcome back")]
    [InlineData("Bob", "who are you")]
    public async Task Run_Branch_FollowsConditionOutcome(string name, string expected)
    {
        var flow = _engine.Compile("""
            {"id":"b","name":"B","start":"branch","activities":[
              {"id":"branch","type":"Branch","inputs":{"condition":"name === 'Ada'"}},
              {"id":"yes","type":"SendMessage","inputs":{"text":"welcome back"}},
              {"id":"no","type":"SendMessage","inputs":{"text":"who are you"}}],
             "connections":[{"source":"branch","outcome":"True","target":"yes"},{"source":"branch","outcome":"False","target":"no"}]}
            """);

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance(new JsonObject { ["name"] = name }));

        Assert.Equal([expected], result.Replies);
    }

    [Fact]
    public async Task Run_SetVariable_RendersTemplatesIntoVariable()
    {
        var flow = _engine.Compile(EngineHarness.Chain(
            ("set", "SetVariable", new { name = "greeting", value = "Hi {{contact.first}}" }),
            ("say", "SendMessage", new { text = "<<greeting>>!" })));

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance(new JsonObject { ["contact"] = new JsonObject { ["first"] = "Ada" } }));

        Assert.Equal(["Hi Ada!"], result.Replies);
        Assert.Equal("Hi Ada", result.Instance.Variables["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_Loop_StopsAtLoopGuardWithClearError()
    {
        var engine = new EngineHarness(o => o.MaxStepsPerRun = 50);
        var flow = engine.Compile("""
            {"id":"l","name":"L","start":"a","activities":[{"id":"a","type":"TestLoop"},{"id":"b","type":"TestLoop"}],
             "connections":[{"source":"a","outcome":"Done","target":"b"},{"source":"b","outcome":"Done","target":"a"}]}
            """);

        var result = await engine.RunAsync(flow, EngineHarness.NewInstance());

        Assert.Equal(FlowInstanceStatus.Faulted, result.Instance.Status);
        Assert.Equal("loop_guard", result.Instance.Error!.Code);
        Assert.Contains("50", result.Instance.Error.Message);
        Assert.Equal(50, result.Instance.Journal.Count);
    }

    [Fact]
    public async Task Run_MissingVariable_FaultsWithNamedError()
    {
        var flow = _engine.Compile(EngineHarness.Chain(("say", "SendMessage", new { text = "Hello {{nobody}}" })));

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance());

        Assert.Equal(FlowInstanceStatus.Faulted, result.Instance.Status);
        Assert.Equal("variable_missing", result.Instance.Error!.Code);
        Assert.Contains("'nobody'", result.Instance.Error.Message);
        Assert.Equal("say", result.Instance.Error.ActivityId);
    }

    [Fact]
    public async Task Run_PluginThrows_FaultsStepNotHost()
    {
        var flow = _engine.Compile(EngineHarness.Chain(("hi", "SendMessage", new { text = "before" }), ("boom", "TestThrow", new { })));

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance());

        Assert.Equal(["before"], result.Replies);
        Assert.Equal("activity_failed", result.Instance.Error!.Code);
        Assert.Contains("plugin bug", result.Instance.Error.Message);
        Assert.Equal("boom", result.Instance.Journal[^1].ActivityId);
    }

    [Fact]
    public async Task Run_TypedInputs_AreConvertedAndTemplated()
    {
        var flow = _engine.Compile("""
            {"id":"t","name":"T","start":"t","activities":[{"id":"t","type":"TestTyped","inputs":{
              "count":"{{n}}","flag":true,"headers":{"X-Id":"{{id}}"},"codes":"200, 201",
              "body":{"id":"{{id}}","quote":"{{q}}","n":1}}}]}
            """);

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance(new JsonObject { ["n"] = "2", ["id"] = "42", ["q"] = "a\"b" }));

        var seen = result.Instance.Variables["seen"]!;
        Assert.Equal(2, seen["count"]!.GetValue<int>());
        Assert.True(seen["flag"]!.GetValue<bool>());
        Assert.Equal("42", seen["headers"]!["X-Id"]!.GetValue<string>());
        Assert.Equal("[200,201]", seen["codes"]!.ToJsonString());
        // A value with a quote stays inside its JSON string: templates cannot break the body's structure.
        Assert.Equal("a\"b", seen["body"]!["quote"]!.GetValue<string>());
        Assert.Equal("A", result.Instance.Journal[0].Outcome);
    }

    [Fact]
    public async Task Run_DeferredRoot_StepFillsInDesignerPlaceholdersOnly()
    {
        var flow = _engine.Compile(EngineHarness.Chain(("d", "TestDeferred", new { text = "{{oauth.instance_url}}/contacts/{{id}}" })));

        // The user's answer looks like a placeholder: it must stay text, not be rendered a second time.
        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance(new JsonObject { ["id"] = "{{ oauth.instance_url }}<<secret>>", ["secret"] = "s3cr3t" }));

        Assert.Equal(FlowInstanceStatus.Completed, result.Instance.Status);
        Assert.Equal("https://eu.example.com/contacts/{{ oauth.instance_url }}<<secret>>", result.Instance.Variables["out"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_DeferredRootInStepThatDoesNotResolveIt_IsMissingVariable()
    {
        var flow = _engine.Compile(EngineHarness.Chain(("say", "SendMessage", new { text = "{{oauth.instance_url}}" })));

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance());

        Assert.Equal("variable_missing", result.Instance.Error!.Code);
        Assert.Contains("oauth.instance_url", result.Instance.Error.Message);
    }

    [Fact]
    public async Task Run_NoOutgoingConnectionForOutcome_Completes()
    {
        var flow = _engine.Compile("""{"id":"t","name":"T","start":"t","activities":[{"id":"t","type":"TestTyped","inputs":{"count":1}}]}""");

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance());

        Assert.Equal(FlowInstanceStatus.Completed, result.Instance.Status);
        Assert.Equal("B", result.Instance.Journal[0].Outcome);
    }

    [Fact]
    public async Task Run_JournalRecordsDurationFromTimeProvider()
    {
        var flow = _engine.Compile(EngineHarness.Chain(("say", "SendMessage", new { text = "x" })));

        var result = await _engine.RunAsync(flow, EngineHarness.NewInstance());

        Assert.Equal(_engine.Time.GetUtcNow(), result.Instance.Journal[0].StartedAt);
        Assert.Equal("Done", result.Instance.Journal[0].Outcome);
    }
}
