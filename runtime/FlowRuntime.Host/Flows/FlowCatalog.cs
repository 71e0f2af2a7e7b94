using System.Collections.Concurrent;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Flows;

/// <summary>
/// Compiled flows by (flow, version). Published versions are immutable, so each is compiled once per host;
/// the channel → published flow lookup is cached briefly because another host may publish.
/// </summary>
public sealed class FlowCatalog(FlowCompiler compiler, TimeProvider time, IOptions<FlowRuntimeOptions> options)
{
    private readonly ConcurrentDictionary<(string FlowId, int Version), CompiledFlow> _versions = new();
    private readonly ConcurrentDictionary<string, (CompiledFlow? Flow, long ExpiresAt)> _channels = new(StringComparer.Ordinal);

    public async ValueTask<CompiledFlow?> GetVersionAsync(FlowRuntimeDbContext db, string flowId, int version, CancellationToken ct)
    {
        if (_versions.TryGetValue((flowId, version), out var cached))
        {
            return cached;
        }

        var json = await db.FlowVersions.AsNoTracking()
            .Where(v => v.FlowId == flowId && v.Version == version)
            .Select(v => v.DefinitionJson)
            .FirstOrDefaultAsync(ct);
        return json is null ? null : _versions.GetOrAdd((flowId, version), _ => compiler.Compile(FlowJson.Deserialize(json), version));
    }

    /// <summary>The published flow bound to a channel, or null.</summary>
    public async ValueTask<CompiledFlow?> GetForChannelAsync(FlowRuntimeDbContext db, string channel, CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_channels.TryGetValue(channel, out var entry) && entry.ExpiresAt > now)
        {
            return entry.Flow;
        }

        var published = await db.Flows.AsNoTracking()
            .Where(f => f.PublishedChannel == channel && f.PublishedVersion != null)
            .Select(f => new { f.Id, f.PublishedVersion })
            .FirstOrDefaultAsync(ct);
        var flow = published is null ? null : await GetVersionAsync(db, published.Id, published.PublishedVersion!.Value, ct);
        var ttl = (long)(options.Value.ChannelCacheDuration.TotalSeconds * time.TimestampFrequency);
        _channels[channel] = (flow, now + ttl);
        return flow;
    }

    /// <summary>Called on publish or delete on this host; other hosts see the change after the cache duration.</summary>
    public void InvalidateChannels() => _channels.Clear();
}
