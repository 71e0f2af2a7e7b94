using System.Text.RegularExpressions;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Flows;

/// <summary>Flow drafts, publishing and versions.</summary>
public sealed partial class FlowService(FlowRuntimeDbContext db, FlowCompiler compiler, FlowCatalog catalog, TimeProvider time)
{
    public const string DefaultChannel = "web";

    public async Task<IReadOnlyList<FlowSummary>> ListAsync(CancellationToken ct) =>
        await db.Flows.AsNoTracking().OrderBy(f => f.Name)
            .Select(f => new FlowSummary(f.Id, f.Name, f.PublishedVersion, f.UpdatedAt))
            .ToListAsync(ct);

    public async Task<FlowDetails?> GetAsync(string id, CancellationToken ct) =>
        await db.Flows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) is { } flow ? ToDetails(flow) : null;

    /// <summary>Saves a new draft. Drafts may be incomplete; their problems come back in <see cref="FlowDetails.Errors"/>.</summary>
    public async Task<FlowDetails> CreateAsync(FlowDefinition definition, CancellationToken ct)
    {
        var id = definition.Id is { Length: > 0 } given ? given : await UniqueIdAsync(definition.Name ?? "flow", ct);
        var now = time.GetUtcNow().UtcDateTime;
        var flow = new FlowEntity
        {
            Id = id,
            Name = definition.Name ?? id,
            DefinitionJson = FlowJson.Serialize(definition with { Id = id }),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Flows.Add(flow);
        await db.SaveChangesAsync(ct);
        return ToDetails(flow);
    }

    public async Task<FlowDetails?> UpdateAsync(string id, FlowDefinition definition, CancellationToken ct)
    {
        var flow = await db.Flows.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null)
        {
            return null;
        }

        flow.Name = definition.Name ?? flow.Name;
        flow.DefinitionJson = FlowJson.Serialize(definition with { Id = id });
        flow.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return ToDetails(flow);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        var deleted = await db.Flows.Where(f => f.Id == id).ExecuteDeleteAsync(ct);
        await db.FlowVersions.Where(v => v.FlowId == id).ExecuteDeleteAsync(ct);
        await db.FlowInstances.Where(i => i.FlowId == id).ExecuteDeleteAsync(ct);
        catalog.InvalidateChannels();
        return deleted > 0;
    }

    /// <exception cref="FlowValidationException">The draft cannot run.</exception>
    /// <exception cref="ChannelInUseException">Another published flow already listens on the channel.</exception>
    public async Task<PublishResult?> PublishAsync(string id, CancellationToken ct)
    {
        var flow = await db.Flows.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null)
        {
            return null;
        }

        var definition = FlowJson.Deserialize(flow.DefinitionJson);
        compiler.Compile(definition, 0);
        var channel = definition.Trigger?.Channel ?? DefaultChannel;
        var other = await db.Flows.AsNoTracking()
            .Where(f => f.PublishedChannel == channel && f.Id != id && f.PublishedVersion != null)
            .Select(f => f.Name).FirstOrDefaultAsync(ct);
        if (other is not null)
        {
            throw new ChannelInUseException(channel, other);
        }

        var version = (await db.FlowVersions.Where(v => v.FlowId == id).MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
        db.FlowVersions.Add(new FlowVersionEntity { FlowId = id, Version = version, DefinitionJson = flow.DefinitionJson, PublishedAt = time.GetUtcNow().UtcDateTime });
        flow.PublishedVersion = version;
        flow.PublishedChannel = channel;
        await db.SaveChangesAsync(ct);
        catalog.InvalidateChannels();
        return new PublishResult(version);
    }

    /// <summary>Stops new conversations on the channel; waiting ones finish on their version.</summary>
    public async Task<bool> UnpublishAsync(string id, CancellationToken ct)
    {
        var changed = await db.Flows.Where(f => f.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.PublishedVersion, (int?)null).SetProperty(f => f.PublishedChannel, (string?)null), ct);
        catalog.InvalidateChannels();
        return changed > 0;
    }

    public async Task<IReadOnlyList<FlowVersionSummary>> VersionsAsync(string id, CancellationToken ct) =>
        await db.FlowVersions.AsNoTracking().Where(v => v.FlowId == id).OrderByDescending(v => v.Version)
            .Select(v => new FlowVersionSummary(v.Version, v.PublishedAt)).ToListAsync(ct);

    public async Task<FlowDefinition?> GetVersionAsync(string id, int version, CancellationToken ct) =>
        await db.FlowVersions.AsNoTracking().Where(v => v.FlowId == id && v.Version == version)
            .Select(v => v.DefinitionJson).FirstOrDefaultAsync(ct) is { } json ? FlowJson.Deserialize(json) : null;

    /// <summary>The draft compiled for a test run.</summary>
    /// <exception cref="FlowValidationException">The draft cannot run.</exception>
    public async Task<CompiledFlow?> CompileDraftAsync(string id, CancellationToken ct) =>
        await db.Flows.AsNoTracking().Where(f => f.Id == id).Select(f => f.DefinitionJson).FirstOrDefaultAsync(ct) is { } json
            ? compiler.Compile(FlowJson.Deserialize(json) with { Id = id }, 0)
            : null;

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private FlowDetails ToDetails(FlowEntity flow)
    {
        var definition = FlowJson.Deserialize(flow.DefinitionJson);
        return new FlowDetails(flow.Id, flow.Name, flow.PublishedVersion, flow.UpdatedAt, definition, compiler.Validate(definition));
    }

    private async Task<string> UniqueIdAsync(string name, CancellationToken ct)
    {
        var slug = SlugPattern().Replace(name.ToLowerInvariant(), "-").Trim('-');
        slug = slug.Length == 0 ? "flow" : slug[..Math.Min(slug.Length, 80)];
        var candidate = slug;
        for (var n = 2; await db.Flows.AnyAsync(f => f.Id == candidate, ct); n++)
        {
            candidate = $"{slug}-{n}";
        }

        return candidate;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,99}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugPattern();
}

public sealed class ChannelInUseException(string channel, string otherFlow)
    : Exception($"Channel '{channel}' is already used by the published flow '{otherFlow}'. Unpublish or delete it first, or pick another channel in the trigger.")
{
    public string Channel { get; } = channel;
}
