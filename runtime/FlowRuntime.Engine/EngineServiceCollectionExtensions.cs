using System.Reflection;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Engine.Expressions;
using FlowRuntime.Engine.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowRuntime.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine. <paramref name="activityAssemblies"/> yields the assemblies scanned for steps
    /// (first-party plugins plus whatever was loaded from the plugins folder); it runs once, on first use.
    /// </summary>
    public static IServiceCollection AddFlowEngine(this IServiceCollection services, Func<IServiceProvider, IEnumerable<Assembly>> activityAssemblies)
    {
        services.AddOptions<FlowEngineOptions>().BindConfiguration("FlowRuntime:Engine").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExpressionOptions>().BindConfiguration("FlowRuntime:Expressions").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ActivityRegistry(activityAssemblies(sp)));
        services.AddSingleton<FlowCompiler>();
        services.AddSingleton<FlowExecutor>();
        services.AddSingleton<JavaScriptEvaluator>();
        return services;
    }
}
