using FlowRuntime.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FlowRuntime.Plugins.Sample;

/// <summary>Registers the plugin's services; the host calls it once at start-up, before any step runs.</summary>
public sealed class SamplePlugin : IFlowPlugin
{
    public void ConfigureServices(IServiceCollection services) =>
        services.TryAddSingleton<IGreetingFormatter, GreetingFormatter>();
}

/// <summary>A service the plugin's steps get by constructor injection.</summary>
public interface IGreetingFormatter
{
    string Format(string name, string style);
}

internal sealed class GreetingFormatter : IGreetingFormatter
{
    public string Format(string name, string style) => style switch
    {
        "Formal" => $"Good day, {name}.",
        "Pirate" => $"Ahoy, {name}!",
        _ => $"Hi {name}!",
    };
}
