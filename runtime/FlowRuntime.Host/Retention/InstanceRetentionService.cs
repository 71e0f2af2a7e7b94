using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Retention;

/// <summary>Runs <see cref="InstanceRetentionJob"/> once per cluster: only the host holding the retention lease deletes.</summary>
internal sealed class InstanceRetentionService(ClusterLease lease, IServiceScopeFactory scopes, IOptions<RetentionOptions> options) : BackgroundService
{
    public const string LeaseName = "background:retention";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        !options.Value.Enabled ? Task.CompletedTask : lease.RunAsync(LeaseName, options.Value.Interval, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<InstanceRetentionJob>().RunOnceAsync(ct);
        }, stoppingToken);
}

internal static class RetentionSetup
{
    public static IServiceCollection AddInstanceRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<InstanceRetentionJob>();
        services.AddHostedService<InstanceRetentionService>();
        return services;
    }
}
