using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Conversations;

public sealed record ChannelSummary(string Name, DateTime CreatedAt);

/// <summary>The secret is returned once, when the channel is created; only its hash is stored.</summary>
public sealed record CreatedChannel(string Name, string Secret, DateTime CreatedAt);

/// <summary>Conversation channels and their secrets (<c>X-Channel-Secret</c>).</summary>
public sealed class ChannelService(FlowRuntimeDbContext db, TimeProvider time, ChannelSecretCache cache)
{
    public async Task<IReadOnlyList<ChannelSummary>> ListAsync(CancellationToken ct) =>
        await db.Channels.AsNoTracking().OrderBy(c => c.Name).Select(c => new ChannelSummary(c.Name, c.CreatedAt)).ToListAsync(ct);

    /// <summary>Creates the channel, or rotates its secret when it exists.</summary>
    public async Task<CreatedChannel> CreateOrRotateAsync(string name, CancellationToken ct)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Name == name, ct);
        if (channel is null)
        {
            channel = new ChannelEntity { Name = name, SecretHash = "", CreatedAt = time.GetUtcNow().UtcDateTime };
            db.Channels.Add(channel);
        }

        channel.SecretHash = Hash(secret);
        await db.SaveChangesAsync(ct);
        cache.Invalidate(name);
        return new CreatedChannel(name, secret, channel.CreatedAt);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        var deleted = await db.Channels.Where(c => c.Name == name).ExecuteDeleteAsync(ct) > 0;
        cache.Invalidate(name);
        return deleted;
    }

    public async Task<bool> IsValidSecretAsync(string name, string secret, CancellationToken ct)
    {
        if (!cache.TryGet(name, out var hash))
        {
            hash = await db.Channels.AsNoTracking().Where(c => c.Name == name).Select(c => c.SecretHash).FirstOrDefaultAsync(ct);
            if (hash is not null)
            {
                cache.Set(name, hash);
            }
        }

        return hash is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(secret)));
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>
/// Secret hashes of existing channels, so a message costs no database read to authorize. Held for
/// <see cref="FlowRuntimeOptions.ChannelCacheDuration"/>: a rotation on another host takes effect here after it (on
/// this host at once). Unknown channels are not cached, so random names cannot grow it.
/// </summary>
public sealed class ChannelSecretCache(TimeProvider time, IOptions<FlowRuntimeOptions> options)
{
    private readonly ConcurrentDictionary<string, (string Hash, long ExpiresAt)> _hashes = new(StringComparer.Ordinal);

    public bool TryGet(string channel, [NotNullWhen(true)] out string? hash)
    {
        hash = _hashes.TryGetValue(channel, out var entry) && entry.ExpiresAt > time.GetTimestamp() ? entry.Hash : null;
        return hash is not null;
    }

    public void Set(string channel, string hash) =>
        _hashes[channel] = (hash, time.GetTimestamp() + (long)(options.Value.ChannelCacheDuration.TotalSeconds * time.TimestampFrequency));

    public void Invalidate(string channel) => _hashes.TryRemove(channel, out _);
}
