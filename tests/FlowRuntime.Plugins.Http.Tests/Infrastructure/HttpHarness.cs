using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Engine;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Host.Infrastructure;
using FlowRuntime.Plugins.Control.Activities;
using FlowRuntime.Plugins.Http.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Plugins.Http.Tests.Infrastructure;

/// <summary>
/// The real engine with the Http and Control plugins, the host's real outbound guard (loopback allowed, so WireMock
/// on 127.0.0.1 is reachable) and <see cref="FakeIntegrationConnections"/> in place of the integrations module.
/// </summary>
internal sealed class HttpHarness : IDisposable
{
    /// <param name="settings">Configuration.</param>
    /// <param name="configure">Registrations after the harness's own, e.g. handlers for the <c>test-outbound</c> client.</param>
    public HttpHarness(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        // Real time: the timeout tests wait on a real (slow) server.
        services.AddSingleton(TimeProvider.System);
        services.AddFlowEngine(_ => [typeof(HttpRequest).Assembly, typeof(SetVariable).Assembly]);
        services.AddOutboundHttp();
        services.AddSingleton<FakeIntegrationConnections>();
        services.AddSingleton<IIntegrationConnections>(sp => sp.GetRequiredService<FakeIntegrationConnections>());
        configure?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    public ServiceProvider Services { get; }

    public FakeIntegrationConnections Integrations => Services.GetRequiredService<FakeIntegrationConnections>();

    public async Task<RunResult> RunAsync(string flowJson, JsonObject? variables = null)
    {
        var flow = Services.GetRequiredService<FlowCompiler>().Compile(FlowJson.Deserialize(flowJson), 1);
        var instance = new FlowInstanceState { Id = Guid.NewGuid(), FlowId = "test", Version = 1, Variables = variables ?? [] };
        return await Services.GetRequiredService<FlowExecutor>().RunAsync(flow, instance, null, Services, CancellationToken.None);
    }

    /// <summary>
    /// A flow of one step <c>call</c>; each outcome in <paramref name="connected"/> leads to a SetVariable step that
    /// writes the outcome's name to <c>took</c>, so a test sees which port was taken.
    /// </summary>
    public static string OneStep(string type, object inputs, params string[] connected) => JsonSerializer.Serialize(new
    {
        id = "test",
        name = "Test",
        start = "call",
        activities = new object[] { new { id = "call", type, inputs } }
            .Concat(connected.Select(o => (object)new { id = "on_" + o, type = "SetVariable", inputs = new { name = "took", value = o } })),
        connections = connected.Select(o => new { source = "call", outcome = o, target = "on_" + o }),
    });

    public void Dispose() => Services.Dispose();
}

internal static class RunResultExtensions
{
    public static JsonNode? Var(this RunResult result, string path)
    {
        JsonNode? node = result.Instance.Variables;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node;
    }

    public static string? Text(this RunResult result, string path) => result.Var(path)?.ToString();

    /// <summary>The outcome the <c>call</c> step left through, from the journal.</summary>
    public static string? Outcome(this RunResult result) => result.Instance.Journal.First(j => j.ActivityId == "call").Outcome;
}
