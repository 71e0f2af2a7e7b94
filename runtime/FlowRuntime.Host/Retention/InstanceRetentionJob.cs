using FlowRuntime.Engine.Execution;
using FlowRuntime.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Retention;

/// <summary>Deletes completed and faulted instances past <see cref="RetentionOptions.CompletedInstances"/>.</summary>
public sealed class InstanceRetentionJob(FlowRuntimeDbContext db, TimeProvider time, IOptions<RetentionOptions> options, ILogger<InstanceRetentionJob> logger)
{
    /// <summary>Deletes in batches so one run never holds a long write lock on a big table.</summary>
    internal const int BatchSize = 1000;

    private static readonly string[] Finished = [nameof(FlowInstanceStatus.Completed), nameof(FlowInstanceStatus.Faulted)];

    /// <summary>Returns how many instances were deleted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.CompletedInstances;
        var total = 0;
        int deleted;
        do
        {
            var batch = db.FlowInstances
                .Where(i => Finished.Contains(i.Status) && i.UpdatedAt < cutoff)
                .OrderBy(i => i.UpdatedAt)
                .Take(BatchSize)
                .Select(i => i.Id);
            deleted = await db.FlowInstances.Where(i => batch.Contains(i.Id)).ExecuteDeleteAsync(ct);
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            logger.LogInformation("Retention deleted {Count} finished instances last updated before {Cutoff:o}", total, cutoff);
        }

        return total;
    }
}
