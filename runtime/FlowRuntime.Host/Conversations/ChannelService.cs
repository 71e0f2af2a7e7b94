using System.Security.Cryptography;
using System.Text;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Conversations;

public sealed record ChannelSummary(string Name, DateTime CreatedAt);

/// <summary>The secret is returned once, when the channel is created; only its hash is stored.</summary>
public sealed record CreatedChannel(string Name, string Secret, DateTime CreatedAt);

/// <summary>Conversation channels and their secrets (<c>X-Channel-Secret</c>).</summary>
public sealed class ChannelService(FlowRuntimeDbContext db, TimeProvider time)
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
        return new CreatedChannel(name, secret, channel.CreatedAt);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct) =>
        await db.Channels.Where(c => c.Name == name).ExecuteDeleteAsync(ct) > 0;

    public async Task<bool> IsValidSecretAsync(string name, string secret, CancellationToken ct)
    {
        var hash = await db.Channels.AsNoTracking().Where(c => c.Name == name).Select(c => c.SecretHash).FirstOrDefaultAsync(ct);
        return hash is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(secret)));
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
