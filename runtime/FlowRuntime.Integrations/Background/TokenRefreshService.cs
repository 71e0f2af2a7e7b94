using FlowRuntime.Integrations.Tokens;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Integrations.Background;

/// <summary>
/// Refreshes tokens that are close to expiry, so idle connections stay alive and the first call after a pause
/// does not wait for a refresh. Holds the "background:token-refresh" lease: one host of the cluster does it.
/// </summary>
internal sealed partial class TokenRefreshService(
    IServiceScopeFactory scopes,
    TokenService tokens,
    IDatabaseLock databaseLock,
    TimeProvider time,
    IOptions<IntegrationsOptions> options,
    ILogger<TokenRefreshService> logger) : BackgroundService
{
    public const string LockName = "background:token-refresh";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BackgroundRefreshInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass: refreshes every authorized connection expiring within the window. Returns how many were due.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var lease = await databaseLock.TryAcquireAsync(LockName, TimeSpan.Zero, cancellationToken);
        if (lease is null)
        {
            return 0;
        }

        var window = options.Value.BackgroundRefreshWindow;
        var due = time.GetUtcNow().UtcDateTime + window;
        List<string> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
            ids = await db.IntegrationConnections.AsNoTracking()
                .Where(c => c.ExpiresAt != null && c.ExpiresAt <= due)
                .Join(db.Integrations.Where(i => i.Status == IntegrationConstants.Authorized), c => c.IntegrationId, i => i.Id, (c, _) => c.IntegrationId)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in ids)
        {
            await tokens.GetAccessTokenAsync(id, null, cancellationToken, refreshWithin: window);
        }

        return ids.Count;
    }

    [LoggerMessage(LogLevel.Error, "Background token refresh failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
