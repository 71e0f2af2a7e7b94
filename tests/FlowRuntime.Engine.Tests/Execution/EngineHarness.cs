using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Plugins.Control.Activities;
using FlowRuntime.Plugins.Conversation.Activities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FlowRuntime.Engine.Tests.Execution;

/// <summary>A real engine (registry, compiler, executor) over the first-party plugins and the test steps below.</summary>
internal sealed class EngineHarness
{
    public EngineHarness(Action<FlowEngineOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton<TimeProvider>(Time);
        services.AddFlowEngine(_ => [typeof(SendMessage).Assembly, typeof(Branch).Assembly, typeof(EngineHarness).Assembly]);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        Services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new();

    public ServiceProvider Services { get; }

    public FlowCompiler Compiler => Services.GetRequiredService<FlowCompiler>();

    public CompiledFlow Compile(string json) => Compiler.Compile(FlowJson.Deserialize(json), 1);

    public static FlowInstanceState NewInstance(JsonObject? variables = null) =>
        new() { Id = Guid.NewGuid(), FlowId = "test", Version = 1, Variables = variables ?? [] };

    public async Task<RunResult> RunAsync(CompiledFlow flow, FlowInstanceState instance, string? message = null, bool? journalVariables = null) =>
        await Services.GetRequiredService<FlowExecutor>().RunAsync(flow, instance, message, Services, CancellationToken.None, journalVariables);

    /// <summary>A one-line way to write definitions in tests: activities as (id, type, inputs) and Done connections in order.</summary>
    public static string Chain(params (string Id, string Type, object Inputs)[] steps) => JsonSerializer.Serialize(new
    {
        id = "test",
        name = "Test",
        start = steps[0].Id,
        activities = steps.Select(s => new { id = s.Id, type = s.Type, inputs = s.Inputs }),
        connections = steps.Zip(steps.Skip(1), (a, b) => new { source = a.Id, outcome = "Done", target = b.Id }),
    });
}

[Activity("TestLoop", Category = "Test")]
public sealed class TestLoop : Activity
{
    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(Outcome.Done);
}

[Activity("TestDeferred", Category = "Test", DeferredTemplateRoots = ["oauth"])]
public sealed class TestDeferred : Activity
{
    [Input]
    public string Text { get; set; } = "";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        var roots = new Dictionary<string, JsonNode?> { ["oauth"] = new JsonObject { ["instance_url"] = "https://eu.example.com" } };
        context.Variables["out"] = context.ResolveDeferred(Text, roots);
        return ValueTask.FromResult(Outcome.Done);
    }
}

[Activity("TestThrow", Category = "Test")]
public sealed class TestThrow : Activity
{
    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context) => throw new InvalidOperationException("plugin bug");
}

[Activity("TestTyped", Category = "Test")]
[Outcomes("A", "B")]
public sealed class TestTyped : Activity
{
    [Input(Required = true)]
    public int Count { get; set; }

    [Input]
    public bool Flag { get; set; }

    [Input]
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    [Input]
    public IReadOnlyList<int> Codes { get; set; } = [];

    [Input]
    public JsonNode? Body { get; set; }

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        context.Variables["seen"] = new JsonObject
        {
            ["count"] = Count,
            ["flag"] = Flag,
            ["headers"] = JsonSerializer.SerializeToNode(Headers),
            ["codes"] = JsonSerializer.SerializeToNode(Codes),
            ["body"] = Body?.DeepClone(),
        };
        return ValueTask.FromResult(new Outcome(Count > 1 ? "A" : "B"));
    }
}
