using System.Reflection;
using System.Runtime.Loader;
using FlowRuntime.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Engine.Plugins;

/// <summary>
/// Loads every plugin assembly in a folder, each in its own <see cref="AssemblyLoadContext"/> so plugins can
/// bring their own dependency versions. Assemblies the host already has (FlowRuntime.Abstractions, the
/// framework) are shared, so plugin activities derive from the host's <c>Activity</c> type.
/// </summary>
public static class PluginLoader
{
    public static IReadOnlyList<Assembly> LoadFrom(string? folder, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
        {
            return [];
        }

        var loaded = new List<Assembly>();
        // A plugin is either a dll in the folder or a dll with its dependencies in a sub-folder of the same name.
        var candidates = Directory.GetFiles(folder, "*.dll")
            .Concat(Directory.GetDirectories(folder).Select(d => Path.Combine(d, Path.GetFileName(d) + ".dll")).Where(File.Exists));
        foreach (var path in candidates)
        {
            try
            {
                var context = new PluginLoadContext(Path.GetFullPath(path));
                loaded.Add(context.LoadFromAssemblyPath(Path.GetFullPath(path)));
                logger.LogInformation("Loaded plugin {Plugin}", Path.GetFileName(path));
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                logger.LogWarning(e, "Skipped {Plugin}: not a loadable .NET assembly", Path.GetFileName(path));
            }
        }

        return loaded;
    }

    /// <summary>
    /// Runs every <see cref="IFlowPlugin"/> found in <paramref name="assemblies"/> against the host's service collection.
    /// Call before the container is built. A hook that cannot be created or throws is logged and skipped, so one bad
    /// plugin cannot keep the host from starting; its steps then fail when they run (a missing service).
    /// </summary>
    public static void ConfigureServices(IEnumerable<Assembly> assemblies, IServiceCollection services, ILogger logger)
    {
        var hooks = assemblies.Distinct()
            .SelectMany(SafeGetTypes)
            .Where(t => t is { IsAbstract: false, IsClass: true, IsPublic: true } && typeof(IFlowPlugin).IsAssignableFrom(t));
        foreach (var type in hooks)
        {
            try
            {
                ((IFlowPlugin)Activator.CreateInstance(type)!).ConfigureServices(services);
                logger.LogInformation("Configured plugin services from {PluginHook}", type.FullName);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogError(e, "Plugin hook {PluginHook} failed; its services are not registered", type.FullName);
            }
        }
    }

    private static IEnumerable<Type> SafeGetTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private static readonly HashSet<string?> SharedContracts = new(StringComparer.Ordinal)
    {
        typeof(Activity).Assembly.GetName().Name,
        typeof(IServiceCollection).Assembly.GetName().Name,
    };

    private sealed class PluginLoadContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Share what the host has already loaded (Abstractions, framework): one Activity type for everyone.
            // The contract assemblies are shared by name even before anything in the host touched them.
            if (SharedContracts.Contains(assemblyName.Name) || Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), assemblyName)))
            {
                return null;
            }

            var path = _resolver.ResolveAssemblyToPath(assemblyName);
            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
