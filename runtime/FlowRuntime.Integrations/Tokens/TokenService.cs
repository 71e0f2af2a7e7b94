using System.Collections.Concurrent;
using FlowRuntime.Integrations.Storage;
using FlowRuntime.Integrations.Templates;
using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static FlowRuntime.Integrations.IntegrationConstants;

namespace FlowRuntime.Integrations.Tokens;

/// <summary>
/// Access tokens per integration: cached, refreshed ahead of expiry, refreshed on demand when an API rejected
/// one. Exactly one refresh at a time per integration: concurrent callers in a process wait on one gate, and
/// hosts sharing a database take the <see cref="IDatabaseLock"/> and re-read the stored token after acquiring
/// it, so a token another host just refreshed is used instead of refreshing again (which would also burn a
/// rotated refresh token).
/// </summary>
internal sealed partial class TokenService(
    IntegrationRepository repository,
    TokenEndpointClient endpoint,
    IDatabaseLock databaseLock,
    TimeProvider time,
    IOptions<IntegrationsOptions> options,
    ILogger<TokenService> logger)
{
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    private sealed record CacheEntry(string AccessToken, DateTimeOffset? ExpiresAt, TimeSpan Margin, ApiAuthentication Signal);

    /// <summary>
    /// A usable access token. <paramref name="rejectedToken"/> is the token an API just rejected: it is not
    /// returned again. <paramref name="refreshWithin"/> widens the refresh margin (background refresh).
    /// </summary>
    public async ValueTask<TokenResult> GetAccessTokenAsync(string integrationId, string? rejectedToken, CancellationToken cancellationToken, TimeSpan? refreshWithin = null)
    {
        if (_cache.TryGetValue(integrationId, out var cached) && Usable(cached, rejectedToken, refreshWithin))
        {
            return TokenResult.Success(cached.AccessToken, cached.Signal);
        }

        var gate = _gates.GetOrAdd(integrationId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await GetOrRefreshAsync(integrationId, rejectedToken, refreshWithin, force: false, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Client credentials: fetches a new token now (<c>POST /connect</c>).</summary>
    public async ValueTask<TokenResult> ConnectAsync(string integrationId, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(integrationId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            _cache.TryRemove(integrationId, out _);
            return await GetOrRefreshAsync(integrationId, null, null, force: true, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets the cached token (after an authorization, a change or a disconnect).</summary>
    public void Invalidate(string integrationId)
    {
        _cache.TryRemove(integrationId, out _);
        repository.Forget(integrationId);
    }

    /// <summary>Stops refreshing, revokes the tokens (RFC 7009) when the provider has an endpoint, and deletes them.</summary>
    public async Task DisconnectAsync(string integrationId, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(integrationId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var lease = await databaseLock.TryAcquireAsync(RefreshLockName(integrationId), options.Value.RefreshLockTimeout, cancellationToken);
            _cache.TryRemove(integrationId, out _);
            var integration = await repository.LoadAsync(integrationId, cancellationToken);
            var stored = await repository.LoadTokenAsync(integrationId, cancellationToken);
            if (integration is not null && stored is not null && integration.Config.RevocationUrl is not null)
            {
                var secrets = integration.Secrets().Append(stored.AccessToken).Concat(stored.RefreshToken is null ? [] : [stored.RefreshToken]).ToList();
                // Revoking the refresh token also invalidates its access tokens at most providers (RFC 7009 §2.1).
                foreach (var (token, hint) in new[] { (stored.RefreshToken, "refresh_token"), (stored.AccessToken, "access_token") })
                {
                    if (token is null)
                    {
                        continue;
                    }

                    var (success, status, error, duration) = await endpoint.RevokeAsync(TokenRequests.Revocation(integration, token, hint), secrets, cancellationToken);
                    await repository.LogAsync(integrationId, "revocation", success, duration, status, error, $"Revoked the {hint.Replace('_', ' ')}.", cancellationToken);
                }
            }

            await repository.DeleteTokenAsync(integrationId, cancellationToken);
            await repository.SetStatusAsync(integrationId, Disconnected, Yellow, null, cancellationToken);
            await repository.LogAsync(integrationId, "disconnect", true, null, null, null, "Disconnected: tokens deleted.", cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async ValueTask<TokenResult> GetOrRefreshAsync(string id, string? rejected, TimeSpan? refreshWithin, bool force, CancellationToken cancellationToken)
    {
        // Another caller may have refreshed while this one waited at the gate.
        if (!force && _cache.TryGetValue(id, out var cached) && Usable(cached, rejected, refreshWithin))
        {
            return TokenResult.Success(cached.AccessToken, cached.Signal);
        }

        var integration = await repository.LoadAsync(id, cancellationToken);
        if (integration is null)
        {
            return TokenResult.Fail("integration_not_found", $"There is no integration '{id}'.");
        }

        var isClientCredentials = integration.GrantType == ClientCredentials;
        switch (integration.Status)
        {
            case NeedsReauthorization:
                return TokenResult.Fail(NeedsReauthorization, $"Integration '{integration.Name}' needs to be authorized again.");
            case Disconnected when !isClientCredentials || !force:
                return TokenResult.Fail("integration_not_authorized", $"Integration '{integration.Name}' is disconnected; authorize it again.");
        }

        var stored = await repository.LoadTokenAsync(id, cancellationToken);
        if (!force && stored is not null && Remember(integration, stored) is var entry && Usable(entry, rejected, refreshWithin))
        {
            return TokenResult.Success(entry.AccessToken, entry.Signal);
        }

        if (!isClientCredentials && stored is null)
        {
            return TokenResult.Fail("integration_not_authorized", $"Integration '{integration.Name}' is not authorized.");
        }

        if (!isClientCredentials && TokenRequests.Refresh(integration, stored!.RefreshToken, stored.AccessToken, stored.Fields) is null)
        {
            // A permanent token (or one without a refresh token): usable until an API rejects it.
            if (rejected is null && !Expired(stored))
            {
                return TokenResult.Success(stored.AccessToken, ApiAuthentication.From(integration.Config));
            }

            const string message = "The access token was rejected or expired and there is no refresh token: authorize the integration again.";
            await repository.SetStatusAsync(id, NeedsReauthorization, Red, message, cancellationToken);
            await repository.LogAsync(id, "refresh", false, null, null, NeedsReauthorization, message, cancellationToken);
            return TokenResult.Fail(NeedsReauthorization, message);
        }

        await using var lease = await databaseLock.TryAcquireAsync(RefreshLockName(id), options.Value.RefreshLockTimeout, cancellationToken);
        if (lease is null)
        {
            return stored is not null && rejected is null && !Expired(stored)
                ? TokenResult.Success(stored.AccessToken, ApiAuthentication.From(integration.Config))
                : TokenResult.Fail("token_request_failed", "Another host is refreshing this integration's token; try again.");
        }

        // Re-read after acquiring: another host may have refreshed (and rotated the refresh token) meanwhile.
        var current = await repository.LoadTokenAsync(id, cancellationToken);
        if (!force && current is not null && (stored is null || current.Version != stored.Version)
            && Remember(integration, current) is var fresh && Usable(fresh, rejected, refreshWithin))
        {
            return TokenResult.Success(fresh.AccessToken, fresh.Signal);
        }

        return await FetchAsync(integration, current ?? stored, rejected, cancellationToken);
    }

    private async ValueTask<TokenResult> FetchAsync(IntegrationSnapshot integration, StoredToken? stored, string? rejected, CancellationToken cancellationToken)
    {
        var id = integration.Id;
        var isClientCredentials = integration.GrantType == ClientCredentials;
        var kind = isClientCredentials ? "client_credentials" : "refresh";
        TokenHttpRequest? request;
        try
        {
            request = isClientCredentials ? TokenRequests.ClientCredentials(integration) : TokenRequests.Refresh(integration, stored?.RefreshToken, stored?.AccessToken, stored?.Fields ?? new Dictionary<string, System.Text.Json.Nodes.JsonNode?>());
        }
        catch (TemplateValueMissingException e)
        {
            await repository.LogAsync(id, kind, false, null, null, "definition_invalid", e.Message, cancellationToken);
            return TokenResult.Fail("token_request_failed", e.Message);
        }

        var secrets = integration.Secrets().Concat(stored is null ? [] : new[] { stored.AccessToken, stored.RefreshToken }.OfType<string>()).ToList();
        var result = await endpoint.RequestTokenAsync(request!, integration.Config.TokenRequest, secrets, cancellationToken);
        if (result.Grant is { } grant)
        {
            var permanent = integration.Config.OAuthTemplate is { } oauth && oauth["refresh"] is null;
            var saved = await repository.SaveTokenAsync(id, grant, permanent, cancellationToken);
            var entry = Remember(integration, saved);
            LogRefreshed(logger, id, kind);
            await repository.LogAsync(id, kind, true, result.Duration, result.HttpStatus, null,
                isClientCredentials ? "Fetched an access token (client credentials)." : grant.RefreshToken is null ? "Refreshed the access token." : "Refreshed the access token; the refresh token was rotated.",
                cancellationToken);
            return TokenResult.Success(entry.AccessToken, entry.Signal);
        }

        var failure = result.Failure!;
        LogRefreshFailed(logger, id, kind, failure.HttpStatus, failure.ProviderError);
        if (failure.IsInvalidGrant && !isClientCredentials)
        {
            // RFC 6749 §5.2 invalid_grant: the refresh token is revoked or expired; only a new authorization helps.
            var message = "The provider rejected the refresh token (invalid_grant): authorize the integration again.";
            _cache.TryRemove(id, out _);
            await repository.DeleteTokenAsync(id, cancellationToken);
            await repository.SetStatusAsync(id, NeedsReauthorization, Red, message, cancellationToken);
            await repository.LogAsync(id, kind, false, result.Duration, failure.HttpStatus, failure.ProviderError, failure.Message, cancellationToken);
            return TokenResult.Fail(NeedsReauthorization, message);
        }

        await repository.LogAsync(id, kind, false, result.Duration, failure.HttpStatus, failure.ProviderError ?? "token_request_failed", failure.Message, cancellationToken);
        await repository.SetStatusAsync(id, isClientCredentials && integration.Status != Authorized ? Error : null, Red, failure.Message, cancellationToken);
        // A refresh ahead of expiry failed, but the current token is still good: keep using it.
        return stored is not null && rejected is null && !Expired(stored) && !isClientCredentials
            ? TokenResult.Success(stored.AccessToken, ApiAuthentication.From(integration.Config))
            : TokenResult.Fail("token_request_failed", failure.Message);
    }

    private CacheEntry Remember(IntegrationSnapshot integration, StoredToken token)
    {
        var margin = integration.Config.RefreshBufferSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.RefreshMargin;
        var entry = new CacheEntry(token.AccessToken, token.ExpiresAt, margin, ApiAuthentication.From(integration.Config));
        _cache[integration.Id] = entry;
        return entry;
    }

    private bool Usable(CacheEntry entry, string? rejected, TimeSpan? refreshWithin)
    {
        if (rejected is not null && entry.AccessToken == rejected)
        {
            return false;
        }

        if (entry.ExpiresAt is not { } expiresAt)
        {
            return true;
        }

        var margin = refreshWithin is { } within && within > entry.Margin ? within : entry.Margin;
        return time.GetUtcNow() < expiresAt - margin;
    }

    private bool Expired(StoredToken token) => token.ExpiresAt is { } e && time.GetUtcNow() >= e;

    private static string RefreshLockName(string id) => "integration-refresh:" + id;

    [LoggerMessage(LogLevel.Information, "Integration {IntegrationId}: new access token ({Kind}).")]
    private static partial void LogRefreshed(ILogger logger, string integrationId, string kind);

    [LoggerMessage(LogLevel.Warning, "Integration {IntegrationId}: {Kind} failed (HTTP {HttpStatus}, {ProviderError}).")]
    private static partial void LogRefreshFailed(ILogger logger, string integrationId, string kind, int? httpStatus, string? providerError);
}
