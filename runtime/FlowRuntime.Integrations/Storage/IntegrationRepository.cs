using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Configuration;
using FlowRuntime.Integrations.Tokens;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Integrations.Storage;

/// <summary>The stored tokens of a connection, decrypted.</summary>
internal sealed record StoredToken(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, IReadOnlyDictionary<string, JsonNode?> Fields, int Version);

/// <summary>Database access of the token service and the connection log; each call uses its own short-lived scope.</summary>
internal sealed class IntegrationRepository(IServiceScopeFactory scopes, SecretProtector protector, TimeProvider time, IOptions<IntegrationsOptions> options)
{
    public async Task<IntegrationSnapshot?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var entity = await db.Integrations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return entity is null ? null : Snapshot(entity);
    }

    public IntegrationSnapshot Snapshot(IntegrationEntity entity)
    {
        var config = IntegrationConfig.Deserialize(entity.ConfigJson);
        var variables = protector.Unprotect(entity.ProtectedVariables) is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : new Dictionary<string, string>();
        return new IntegrationSnapshot(entity.Id, entity.Name, entity.GrantType, entity.Status, config,
            protector.Unprotect(entity.ProtectedClientSecret), variables, CallbackUrl(config.CallbackBaseUrl, entity.Id));
    }

    public string CallbackUrl(string? requestBase, string id) =>
        (options.Value.PublicBaseUrl ?? requestBase ?? "http://localhost").TrimEnd('/') + "/oauth/callback/" + Uri.EscapeDataString(id);

    public async Task<StoredToken?> LoadTokenAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var row = await db.IntegrationConnections.AsNoTracking().FirstOrDefaultAsync(c => c.IntegrationId == id, cancellationToken);
        return row is null ? null : ToToken(row);
    }

    private StoredToken? ToToken(IntegrationConnectionEntity row)
    {
        var access = protector.Unprotect(row.ProtectedAccessToken);
        if (access is null)
        {
            return null;
        }

        var fields = protector.Unprotect(row.ProtectedFields) is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, JsonNode?>>(json) ?? []
            : new Dictionary<string, JsonNode?>();
        return new StoredToken(access, protector.Unprotect(row.ProtectedRefreshToken),
            row.ExpiresAt is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : null, fields, row.Version);
    }

    /// <summary>
    /// Stores a new grant (before anyone uses it, so a rotated refresh token is never lost) and marks the
    /// integration authorized. A grant without a refresh token keeps the previous one.
    /// </summary>
    public async Task<StoredToken> SaveTokenAsync(string id, TokenGrant grant, bool permanent, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.IntegrationConnections.FirstOrDefaultAsync(c => c.IntegrationId == id, cancellationToken);
            if (row is null)
            {
                row = new IntegrationConnectionEntity { IntegrationId = id };
                db.IntegrationConnections.Add(row);
            }

            var refresh = grant.RefreshToken ?? protector.Unprotect(row.ProtectedRefreshToken);
            row.ProtectedAccessToken = protector.Protect(grant.AccessToken);
            row.ProtectedRefreshToken = protector.Protect(refresh);
            row.ProtectedFields = protector.Protect(JsonSerializer.Serialize(grant.Fields));
            row.ExpiresAt = permanent ? null : grant.ExpiresAt?.UtcDateTime;
            row.ObtainedAt = time.GetUtcNow().UtcDateTime;
            row.Version++;

            var integration = await db.Integrations.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
            if (integration is not null)
            {
                if (integration.Status != IntegrationConstants.Authorized)
                {
                    integration.Health = IntegrationConstants.Yellow;
                }

                integration.Status = IntegrationConstants.Authorized;
                integration.LastError = null;
                integration.UpdatedAt = time.GetUtcNow().UtcDateTime;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new StoredToken(grant.AccessToken, refresh, permanent ? null : grant.ExpiresAt, grant.Fields, row.Version);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another host wrote the row in between (optimistic concurrency): this grant is newer, store it over theirs.
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task DeleteTokenAsync(string id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        await db.IntegrationConnections.Where(c => c.IntegrationId == id).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task SetStatusAsync(string id, string? status, string? health, string? lastError, CancellationToken cancellationToken, bool used = false)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var entity = await db.Integrations.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (entity is null)
        {
            return;
        }

        entity.Status = status ?? entity.Status;
        entity.Health = health ?? entity.Health;
        if (status is not null || lastError is not null)
        {
            entity.LastError = lastError;
        }

        var now = time.GetUtcNow().UtcDateTime;
        entity.UpdatedAt = now;
        if (used)
        {
            entity.LastUsedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds a connection-log entry. Callers pass messages that never contain secrets or tokens.</summary>
    public async Task LogAsync(string id, string kind, bool success, TimeSpan? duration, int? httpStatus, string? error, string? message, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        if (!await db.Integrations.AnyAsync(i => i.Id == id, cancellationToken))
        {
            return;
        }

        db.IntegrationLogs.Add(new IntegrationLogEntity
        {
            IntegrationId = id,
            At = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            Success = success,
            DurationMs = duration is { } d ? (long)d.TotalMilliseconds : null,
            HttpStatus = httpStatus,
            Error = Truncate(error),
            Message = Truncate(message),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Truncate(string? value) => value is { Length: > 2000 } ? value[..2000] : value;
}
