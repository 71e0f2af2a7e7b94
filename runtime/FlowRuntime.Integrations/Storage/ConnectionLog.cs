using System.Data.Common;
using System.Threading.Channels;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Integrations.Storage;

/// <summary>
/// The connection log, written in batches by one background writer. Every API call a flow makes through an
/// integration is logged, so one INSERT transaction per call would make the log the throughput limit (an
/// embedded SQLite database has a single writer). <see cref="FlushAsync"/> gives read-your-writes to the logs
/// endpoint; shutdown drains the queue.
/// </summary>
internal sealed class ConnectionLog(IServiceScopeFactory scopes, DatabaseWriteGate writeGate, ILogger<ConnectionLog> logger) : BackgroundService
{
    // Each batch holds the SQLite write gate while it is written; message writes wait behind it. A hundred rows
    // take about a millisecond, so a log flush never adds more than that to a message's latency.
    private const int BatchSize = 100;

    /// <summary>Entries wait this long to share a commit; the logs endpoint flushes at once.</summary>
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(200);

    // Bounded: when the database cannot keep up, callers wait instead of memory growing without limit.
    private readonly Channel<IntegrationLogEntity> _queue = Channel.CreateBounded<IntegrationLogEntity>(
        new BoundedChannelOptions(10_000) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    private readonly SemaphoreSlim _writer = new(1, 1);

    private RowWriter<IntegrationLogEntity>? _rows; // built from the model on first use, under _writer

    public ValueTask AddAsync(IntegrationLogEntity entry, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(entry) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(entry, cancellationToken);

    /// <summary>Writes every entry queued before the call.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await _queue.Reader.DrainInBatchesAsync(new List<IntegrationLogEntity>(BatchSize), BatchSize, batch => WriteAsync(batch, cancellationToken));
        }
        finally
        {
            _writer.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(BatchWindow, stoppingToken); // throughput, not business time: real time
                await TryFlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await TryFlushAsync(CancellationToken.None);
    }

    // A database outage must not stop the host (an unhandled BackgroundService exception does): the entries of
    // the failed batch are dropped and said so; flows and tokens are unaffected.
    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Connection-log entries could not be written and were dropped");
        }
    }

    private async Task WriteAsync(List<IntegrationLogEntity> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        _rows ??= new RowWriter<IntegrationLogEntity>(db);
        using var gate = await writeGate.EnterAsync(cancellationToken);
        try
        {
            await _rows.WriteAsync(db, [.. batch.Select(entry => new RowWrite<IntegrationLogEntity>(entry))], cancellationToken);
        }
        catch (DbException)
        {
            // An integration deleted while its entries waited: write the rest one by one, drop the orphans.
            foreach (var entry in batch)
            {
                try
                {
                    await _rows.WriteAsync(db, [new RowWrite<IntegrationLogEntity>(entry)], cancellationToken);
                }
                catch (DbException)
                {
                    logger.LogDebug("Dropped a connection-log entry of deleted integration {IntegrationId}", entry.IntegrationId);
                }
            }
        }
    }
}
