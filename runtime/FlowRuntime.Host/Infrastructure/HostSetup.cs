using System.Reflection;
using FlowRuntime.Engine;
using FlowRuntime.Engine.Plugins;
using FlowRuntime.Host.Conversations;
using FlowRuntime.Host.Flows;
using FlowRuntime.Host.Security;
using FlowRuntime.Integrations;
using FlowRuntime.Persistence;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FlowRuntime.Host.Infrastructure;

internal static class HostSetup
{
    /// <summary>First-party step plugins: referenced by the host, scanned like third-party ones.</summary>
    private static readonly Assembly[] FirstPartyPlugins =
    [
        typeof(Plugins.Conversation.Activities.SendMessage).Assembly,
        typeof(Plugins.Control.Activities.Branch).Assembly,
        typeof(Plugins.Http.Activities.HttpRequest).Assembly,
    ];

    public static WebApplicationBuilder AddFlowRuntime(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataPath = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath,
            builder.Configuration[$"{FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.DataPath)}"] ?? ".data"));
        services.AddOptions<FlowRuntimeOptions>().BindConfiguration(FlowRuntimeOptions.Section)
            .PostConfigure(o => o.ApiKey = string.IsNullOrWhiteSpace(o.ApiKey) ? LocalApiKey.GetOrCreate(dataPath) : o.ApiKey)
            .ValidateDataAnnotations()
            .Validate(o => o.ApiKey!.Length >= 16, "FlowRuntime:ApiKey must be at least 16 characters.")
            .ValidateOnStart();

        // Plugins are loaded now, not on first use, so their IFlowPlugin hooks can still add services (end of method).
        // The host's logging is not built yet: a short-lived console logger with the same settings reports loading.
        using var pluginLogging = LoggerFactory.Create(b => b.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
        var pluginLog = pluginLogging.CreateLogger("FlowRuntime.Plugins");
        Assembly[] activityAssemblies = [.. FirstPartyPlugins, .. PluginLoader.LoadFrom(PluginsFolder(builder), pluginLog)];
        services.AddFlowEngine(_ => activityAssemblies);
        services.AddOutboundHttp();
        services.AddFlowRuntimeDatabase(builder.Configuration, builder.Environment);
        services.AddFlowRuntimeIntegrations();
        services.AddSingleton<FlowCatalog>();
        services.AddSingleton<ConversationLocks>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddScoped<FlowService>();
        services.AddScoped<InstanceStore>();
        // Built once from the model of the configured provider.
        services.AddSingleton(sp =>
        {
            using var scope = sp.CreateScope();
            return new WaitingInstanceQuery(scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>());
        });
        services.AddSingleton<InstanceWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceWriter>());
        services.AddScoped<ChannelService>();
        services.AddSingleton<ChannelSecretCache>();
        services.AddScoped<ConversationService>();

        services.AddFlowRuntimeProblemDetails();
        // Malformed bodies throw BadHttpRequestException, which the exception handler turns into a 400 with its reason.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "FlowRuntime management API";
            document.Info.Description = "Flows, conversation channels, activities and OAuth integrations. Send the management key as X-Api-Key.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks();
        services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(Engine.Execution.FlowExecutor.ActivitySource.Name))
            .WithMetrics(m => m.AddMeter("FlowRuntime"));

        // Last, so plugins see the host's services and their TryAdd* registrations never replace one.
        PluginLoader.ConfigureServices(activityAssemblies, services, pluginLog);
        return builder;
    }

    private static string PluginsFolder(WebApplicationBuilder builder) =>
        Path.Combine(builder.Environment.ContentRootPath,
            builder.Configuration[$"{FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.PluginsPath)}"] is { Length: > 0 } configured ? configured : "plugins");
}
