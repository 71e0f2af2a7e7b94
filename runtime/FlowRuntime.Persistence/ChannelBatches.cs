using System.Threading.Channels;

namespace FlowRuntime.Persistence;

/// <summary>The background writers' loop: what is queued right now is written together, a batch at a time.</summary>
public static class ChannelBatches
{
    /// <summary>Reads everything queued, up to <paramref name="maxBatch"/> items per <paramref name="write"/>, until the queue is empty.</summary>
    /// <param name="batch">Reused across calls so a busy writer does not allocate a list per batch.</param>
    public static async Task DrainInBatchesAsync<T>(this ChannelReader<T> reader, List<T> batch, int maxBatch, Func<List<T>, Task> write)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await write(batch);
        }
    }
}
