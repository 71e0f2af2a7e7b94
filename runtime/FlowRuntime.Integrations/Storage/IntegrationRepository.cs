using System.Collections.Concurrent;
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
internal sealed class IntegrationRepository(IServiceScopeFactory scopes, SecretProtector protector, ConnectionLog log, TimeProvider time, IOptions<IntegrationsOptions> options)
{
    /// <summary>
    /// A flow's API call must not cost a database write: health and last use are written when the colour changes
    /// and otherwise at most this often (per host; other hosts' writes are seen on the next write).
    /// </summary>
    private static readonly TimeSpan UseWriteInterval = TimeSpan.FromMinutes(1);

    /// <summary>Template values change only with a new grant; cached briefly because another host may store one.</summary>
    private static readonly TimeSpan TemplateValuesLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string Health, long WrittenAt)> _lastUse = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, JsonNode?>? Values, long LoadedAt)> _templateValues = new(StringComparer.Ordinal);

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
        Forget(id);
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
        Forget(id);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        await db.IntegrationConnections.Where(c => c.IntegrationId == id).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Marks a use of the connection: writes only when the health colour changes or the last write is old.</summary>
    public Task RecordUseAsync(string id, string health, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_lastUse.TryGetValue(id, out var last) && last.Health == health && time.GetElapsedTime(last.WrittenAt, now) < UseWriteInterval)
        {
            return Task.CompletedTask;
        }

        _lastUse[id] = (health, now);
        return SetStatusAsync(id, null, health, null, cancellationToken, used: true);
    }

    /// <summary>
    /// Values for <c>{{ oauth.x }}</c>: the saved token-response fields except the tokens, plus the preset's
    /// <c>api_base_url</c>; null when the integration does not exist.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, JsonNode?>?> TemplateValuesAsync(string id, CancellationToken cancellationToken)
    {
        if (_templateValues.TryGetValue(id, out var cached) && time.GetElapsedTime(cached.LoadedAt) < TemplateValuesLifetime)
        {
            return cached.Values;
        }

        var integration = await LoadAsync(id, cancellationToken);
        Dictionary<string, JsonNode?>? values = null;
        if (integration is not null)
        {
            values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (await LoadTokenAsync(id, cancellationToken) is { } token)
            {
                foreach (var (key, value) in token.Fields.Where(f => !HiddenFields.Contains(f.Key)))
                {
                    values[key] = value?.DeepClone();
                }
            }

            if (integration.Config.ApiBaseUrl is { } apiBase)
            {
                values["api_base_url"] = apiBase;
            }
        }

        _templateValues[id] = (values, time.GetTimestamp());
        return values;
    }

    /// <summary>Tokens never go to flows: steps get the other saved fields.</summary>
    private static readonly HashSet<string> HiddenFields = new(StringComparer.OrdinalIgnoreCase) { "access_token", "refresh_token", "id_token" };

    /// <summary>Forgets what this host remembers of an integration (after a grant, a status change or an edit).</summary>
    public void Forget(string id)
    {
        _lastUse.TryRemove(id, out _);
        _templateValues.TryRemove(id, out _);
    }

    public async Task SetStatusAsync(string id, string? status, string? health, string? lastError, CancellationToken cancellationToken, bool used = false)
    {
        if (!used)
        {
            Forget(id);
        }

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
    public ValueTask LogAsync(string id, string kind, bool success, TimeSpan? duration, int? httpStatus, string? error, string? message, CancellationToken cancellationToken) =>
        log.AddAsync(new IntegrationLogEntity
        {
            IntegrationId = id,
            At = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            Success = success,
            DurationMs = duration is { } d ? (long)d.TotalMilliseconds : null,
            HttpStatus = httpStatus,
            Error = Truncate(error),
            Message = Truncate(message),
        }, cancellationToken);

    private static string? Truncate(string? value) => value is { Length: > 2000 } ? value[..2000] : value;
}
