using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Abstractions;

/// <summary>
/// Optional entry point of a plugin assembly: the host creates each public non-abstract implementation with its
/// parameterless constructor and calls <see cref="ConfigureServices"/> once at start-up, before the container is
/// built, so the plugin's activities can take its services by constructor injection.
/// </summary>
/// <remarks>
/// Register with <c>TryAdd*</c> where a host service may already exist: the host's registrations come first and a
/// plugin must not replace them by accident. A hook that throws is logged and skipped; the host still starts.
/// </remarks>
public interface IFlowPlugin
{
    void ConfigureServices(IServiceCollection services);
}
