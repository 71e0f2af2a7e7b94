using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using FlowRuntime.Engine;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Engine.Mapping;
using FlowRuntime.Engine.Templates;
using FlowRuntime.Host;
using FlowRuntime.Host.Flows;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using FlowRuntime.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using FlowRuntime.Plugins.Control.Activities;
using FlowRuntime.Plugins.Conversation.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Benchmarks;

/// <summary>The engine's per-message costs: templates, JSON mapping, step dispatch, compiled-definition lookup.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const string Definition = """
        {"id":"b","name":"B","start":"say","activities":[{"id":"say","type":"SendMessage","inputs":{"text":"Hello {{name}}, your id is {{contact.id}}"}}]}
        """;

    private Template _template = null!;
    private TemplateScope _scope = null!;
    private JsonPathExpression _simplePath = null!;
    private JsonPathExpression _jsonPath = null!;
    private JsonNode _body = null!;
    private ServiceProvider _services = null!;
    private FlowExecutor _executor = null!;
    private CompiledFlow _flow = null!;
    private FlowCatalog _catalog = null!;
    private FlowRuntimeDbContext _db = null!;
    private string _dbPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        _template = Template.Parse("Hello {{name}}, your id is <<contact.id>>!");
        _scope = new TemplateScope(new JsonObject { ["name"] = "Ada", ["contact"] = new JsonObject { ["id"] = "42" } });
        _simplePath = JsonPathExpression.Parse("data.last_name");
        _jsonPath = JsonPathExpression.Parse("$..id");
        _body = JsonNode.Parse("""{"data":{"id":"1","first_name":"Ada","last_name":"Lovelace","emails":[{"id":"2","email":"ada@example.com"}]}}""")!;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddFlowEngine(_ => [typeof(SendMessage).Assembly, typeof(Branch).Assembly]);
        _services = services.BuildServiceProvider();
        _executor = _services.GetRequiredService<FlowExecutor>();
        _flow = _services.GetRequiredService<FlowCompiler>().Compile(FlowJson.Deserialize(Definition), 1);

        // A real SQLite database behind the catalog; the first lookup compiles, the benchmark measures the rest.
        _dbPath = Path.Combine(Path.GetTempPath(), $"flowruntime-bench-{Guid.NewGuid():n}.db");
        _db = new FlowRuntimeDbContext((DbContextOptions<FlowRuntimeDbContext>)new DbContextOptionsBuilder<FlowRuntimeDbContext>().UseFlowRuntimeSqlite($"Data Source={_dbPath}").Options);
        _db.Database.Migrate();
        _db.FlowVersions.Add(new FlowVersionEntity { FlowId = "b", Version = 1, DefinitionJson = Definition });
        _db.SaveChanges();
        _catalog = new FlowCatalog(_services.GetRequiredService<FlowCompiler>(), TimeProvider.System, Options.Create(new FlowRuntimeOptions()));
        _ = _catalog.GetVersionAsync(_db, "b", 1, CancellationToken.None).AsTask().Result ?? throw new InvalidOperationException("version not found");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_dbPath);
    }

    [Benchmark]
    public string RenderTemplate() => _template.Render(_scope);

    [Benchmark]
    public bool MapSimplePath() => _simplePath.TryEvaluate(_body, out _);

    [Benchmark]
    public bool MapJsonPath() => _jsonPath.TryEvaluate(_body, out _);

    /// <summary>One SendMessage step: create the activity, bind its templated input, execute, journal.</summary>
    [Benchmark]
    public async Task<int> DispatchOneStep()
    {
        var instance = new FlowInstanceState
        {
            Id = Guid.NewGuid(),
            FlowId = "b",
            Version = 1,
            Variables = new JsonObject { ["name"] = "Ada", ["contact"] = new JsonObject { ["id"] = "42" } },
        };
        var result = await _executor.RunAsync(_flow, instance, null, _services, CancellationToken.None);
        return result.Replies.Count;
    }

    /// <summary>The per-message definition lookup: a published version, compiled once, served from the catalog.</summary>
    [Benchmark]
    public ValueTask<CompiledFlow?> DefinitionFromCatalog() => _catalog.GetVersionAsync(_db, "b", 1, CancellationToken.None);

    private sealed class TemplateScope(JsonObject variables) : ITemplateScope
    {
        public bool TryGetRoot(string name, out JsonNode? value) => variables.TryGetPropertyValue(name, out value);

        public bool IsDeferred(string name) => false;
    }
}
