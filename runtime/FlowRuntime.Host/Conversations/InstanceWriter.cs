using System.Data.Common;
using System.Threading.Channels;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Conversations;

/// <summary>
/// Group commit for instance writes: every message ends with one instance write, and a commit costs far more
/// than a row (SQLite has one writer; every database has a commit round trip). One writer takes all writes
/// queued at that moment and commits them in one transaction; each message still waits for its own write to be
/// durable before it answers. Under low load a batch is one write, with no added delay.
/// </summary>
public sealed class InstanceWriter(IServiceScopeFactory scopes, DatabaseWriteGate writeGate, ILogger<InstanceWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    private RowWriter<FlowInstanceEntity>? _rows; // built from the model on first use; only the single reader uses it

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    /// <param name="row">The instance row as it should be stored.</param>
    /// <param name="expectedRevision">For an update, the revision that was read; null inserts.</param>
    public Task WriteAsync(FlowInstanceEntity row, int? expectedRevision, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(new RowWrite<FlowInstanceEntity>(row, expectedRevision));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The instance writer has stopped; the host is shutting down.");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutdown: writes already accepted still reach the database.
        _queue.Writer.TryComplete();
        await DrainAsync(batch);
    }

    private Task DrainAsync(List<PendingWrite> batch) => _queue.Reader.DrainInBatchesAsync(batch, MaxBatch, CommitAsync);

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        _rows ??= new RowWriter<FlowInstanceEntity>(db, nameof(FlowInstanceEntity.Revision));
        using var gate = await writeGate.EnterAsync(CancellationToken.None);
        try
        {
            Complete(batch, await _rows.WriteAsync(db, [.. batch.Select(p => p.Write)], CancellationToken.None));
            return;
        }
        catch (DbException) when (batch.Count > 1)
        {
            // One write broke a constraint and rolled the batch back: commit the others one by one so only it fails.
        }
        catch (Exception e)
        {
            batch.ForEach(pending => pending.Done.TrySetException(e));
            return;
        }

        foreach (var pending in batch)
        {
            try
            {
                Complete([pending], await _rows.WriteAsync(db, [pending.Write], CancellationToken.None));
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Instance {InstanceId} was not written", pending.Write.Row.Id);
                pending.Done.TrySetException(e);
            }
        }
    }

    private static void Complete(List<PendingWrite> batch, bool[] written)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (written[i])
            {
                batch[i].Done.TrySetResult();
            }
            else
            {
                // Another host (or a message that lost its lock) updated the instance since it was read.
                batch[i].Done.TrySetException(new DbUpdateConcurrencyException($"Instance {batch[i].Write.Row.Id} was changed concurrently."));
            }
        }
    }

    private sealed record PendingWrite(RowWrite<FlowInstanceEntity> Write)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
