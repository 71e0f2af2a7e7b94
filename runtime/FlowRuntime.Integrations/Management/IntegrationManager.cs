using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowRuntime.Integrations.Configuration;
using FlowRuntime.Integrations.Presets;
using FlowRuntime.Integrations.Storage;
using FlowRuntime.Integrations.Tokens;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FlowRuntime.Integrations.IntegrationConstants;

namespace FlowRuntime.Integrations.Management;

/// <summary>The management API's operations on integrations: create, change, list, connect, disconnect, logs.</summary>
internal sealed class IntegrationManager
{
    private static readonly string[] ScopeSeparators = [" ", ",", "+"];
    private readonly IServiceScopeFactory _scopes;
    private readonly IntegrationRepository _repository;
    private readonly SecretProtector _protector;
    private readonly ProviderCatalog _catalog;
    private readonly IssuerDiscovery _discovery;
    private readonly TokenService _tokens;
    private readonly TimeProvider _time;
    private readonly ConnectionLog _log;

    public IntegrationManager(IServiceScopeFactory scopes, IntegrationRepository repository, SecretProtector protector, ProviderCatalog catalog,
        IssuerDiscovery discovery, TokenService tokens, TimeProvider time, ConnectionLog log)
    {
        _log = log;
        _scopes = scopes;
        _repository = repository;
        _protector = protector;
        _catalog = catalog;
        _discovery = discovery;
        _tokens = tokens;
        _time = time;
    }

    public IReadOnlyList<ProviderPreset> Presets => _catalog.All;

    public async Task<IReadOnlyList<IntegrationDetails>> ListAsync(string? status, string requestBaseUrl, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var query = db.Integrations.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(i => i.Status == status);
        }

        var rows = await query.OrderBy(i => i.Name).ToListAsync(cancellationToken);
        var expiries = await db.IntegrationConnections.AsNoTracking().Select(c => new { c.IntegrationId, c.ExpiresAt }).ToDictionaryAsync(c => c.IntegrationId, c => c.ExpiresAt, cancellationToken);
        return rows.Select(r => Details(r, expiries.GetValueOrDefault(r.Id), requestBaseUrl)).ToList();
    }

    public async Task<IntegrationDetails?> GetAsync(string id, string requestBaseUrl, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var row = await db.Integrations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var expiresAt = await db.IntegrationConnections.AsNoTracking().Where(c => c.IntegrationId == id).Select(c => c.ExpiresAt).FirstOrDefaultAsync(cancellationToken);
        return Details(row, expiresAt, requestBaseUrl);
    }

    public async Task<IntegrationResult<IntegrationDetails>> CreateAsync(IntegrationRequest request, string requestBaseUrl, CancellationToken cancellationToken)
    {
        var (config, errors) = await BuildConfigAsync(request, null, requestBaseUrl, cancellationToken);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var entity = new IntegrationEntity
        {
            Id = "int_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = request.Name!.Trim(),
            GrantType = request.GrantType ?? AuthorizationCode,
            Status = Incomplete,
            Health = Yellow,
            ConfigJson = config!.Serialize(),
            ProtectedClientSecret = _protector.Protect(NullIfEmpty(request.ClientSecret)),
            ProtectedVariables = request.Variables is { Count: > 0 } v ? _protector.Protect(JsonSerializer.Serialize(v)) : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        db.Integrations.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return Details(entity, null, requestBaseUrl);
    }

    public async Task<IntegrationResult<IntegrationDetails>> UpdateAsync(string id, IntegrationRequest request, string requestBaseUrl, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var entity = await db.Integrations.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (entity is null)
        {
            return IntegrationErrors.NotFound(id);
        }

        var existing = IntegrationConfig.Deserialize(entity.ConfigJson);
        var (config, errors) = await BuildConfigAsync(request, entity, existing.CallbackBaseUrl ?? requestBaseUrl, cancellationToken);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        entity.Name = request.Name!.Trim();
        entity.GrantType = request.GrantType ?? entity.GrantType;
        entity.ConfigJson = config!.Serialize();
        if (request.ClientSecret is not null)
        {
            // Write-only: null keeps the stored secret, "" removes it.
            entity.ProtectedClientSecret = _protector.Protect(NullIfEmpty(request.ClientSecret));
        }

        if (request.Variables is not null)
        {
            entity.ProtectedVariables = request.Variables.Count > 0 ? _protector.Protect(JsonSerializer.Serialize(request.Variables)) : null;
        }

        entity.UpdatedAt = _time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        _tokens.Invalidate(id);
        var expiresAt = await db.IntegrationConnections.AsNoTracking().Where(c => c.IntegrationId == id).Select(c => c.ExpiresAt).FirstOrDefaultAsync(cancellationToken);
        return Details(entity, expiresAt, requestBaseUrl);
    }

    /// <summary>Deletes the integration; its tokens are revoked first when the provider has a revocation endpoint.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await _repository.LoadAsync(id, cancellationToken) is null)
        {
            return false;
        }

        await _tokens.DisconnectAsync(id, cancellationToken);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        await db.IntegrationLogs.Where(l => l.IntegrationId == id).ExecuteDeleteAsync(cancellationToken);
        await db.OAuthStates.Where(s => s.IntegrationId == id).ExecuteDeleteAsync(cancellationToken);
        await db.IntegrationConnections.Where(c => c.IntegrationId == id).ExecuteDeleteAsync(cancellationToken);
        await db.Integrations.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken);
        _tokens.Invalidate(id);
        return true;
    }

    /// <summary>Client credentials: gets a token now and reports the provider's answer.</summary>
    public async Task<IntegrationResult<IntegrationDetails>> ConnectAsync(string id, string requestBaseUrl, CancellationToken cancellationToken)
    {
        var integration = await _repository.LoadAsync(id, cancellationToken);
        if (integration is null)
        {
            return IntegrationErrors.NotFound(id);
        }

        if (integration.GrantType != ClientCredentials)
        {
            return new IntegrationError(400, "grant_type_mismatch", "Not a client-credentials integration",
                "Authorization-code integrations are connected through GET /api/integrations/{id}/authorize.");
        }

        var result = await _tokens.ConnectAsync(id, cancellationToken);
        if (!result.Succeeded)
        {
            return new IntegrationError(502, result.ErrorCode ?? "token_request_failed", "The provider did not issue a token", result.Error ?? "");
        }

        return (await GetAsync(id, requestBaseUrl, cancellationToken))!;
    }

    public async Task<IntegrationResult<IntegrationDetails>> DisconnectAsync(string id, string requestBaseUrl, CancellationToken cancellationToken)
    {
        if (await _repository.LoadAsync(id, cancellationToken) is null)
        {
            return IntegrationErrors.NotFound(id);
        }

        await _tokens.DisconnectAsync(id, cancellationToken);
        return (await GetAsync(id, requestBaseUrl, cancellationToken))!;
    }

    public async Task<IReadOnlyList<IntegrationLogEntry>?> LogsAsync(string id, int limit, CancellationToken cancellationToken)
    {
        await _log.FlushAsync(cancellationToken);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        if (!await db.Integrations.AnyAsync(i => i.Id == id, cancellationToken))
        {
            return null;
        }

        var rows = await db.IntegrationLogs.AsNoTracking().Where(l => l.IntegrationId == id)
            .OrderByDescending(l => l.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        return rows.Select(l => new IntegrationLogEntry(new DateTimeOffset(l.At, TimeSpan.Zero), l.Kind, l.Success, l.DurationMs, l.HttpStatus, l.Error, l.Message)).ToList();
    }

    private async Task<(IntegrationConfig? Config, List<string> Errors)> BuildConfigAsync(IntegrationRequest request, IntegrationEntity? existing, string callbackBase, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            errors.Add("name is required (at most 200 characters).");
        }

        var grantType = request.GrantType ?? existing?.GrantType ?? AuthorizationCode;
        if (grantType is not (AuthorizationCode or ClientCredentials))
        {
            errors.Add("grantType must be 'authorization_code' or 'client_credentials'.");
        }

        ProviderPreset? preset = null;
        ProviderVariant? variant = null;
        if (!string.IsNullOrEmpty(request.Preset))
        {
            preset = _catalog.Find(request.Preset);
            if (preset is null)
            {
                errors.Add($"preset '{request.Preset}' is unknown; GET /api/integrations/presets lists them.");
            }
            else if (!string.IsNullOrEmpty(request.Variant))
            {
                variant = preset.Variants?.FirstOrDefault(v => string.Equals(v.Key, request.Variant, StringComparison.OrdinalIgnoreCase));
                if (variant is null)
                {
                    errors.Add($"variant '{request.Variant}' is not one of preset '{preset.Key}': {string.Join(", ", preset.Variants?.Select(v => v.Key) ?? [])}.");
                }
            }
        }

        var authorizationUrl = NullIfEmpty(request.AuthorizationUrl) ?? variant?.AuthorizationUrl ?? preset?.AuthorizationUrl;
        var tokenUrl = NullIfEmpty(request.TokenUrl) ?? variant?.TokenUrl ?? preset?.TokenUrl;
        var revocationUrl = NullIfEmpty(request.RevocationUrl) ?? variant?.RevocationUrl ?? preset?.RevocationUrl;
        var usePkce = request.UsePkce ?? preset?.UsePkce;
        var issuer = NullIfEmpty(request.Issuer);
        if (issuer is not null && (authorizationUrl is null || tokenUrl is null || revocationUrl is null || usePkce is null))
        {
            var metadata = await _discovery.DiscoverAsync(issuer, cancellationToken);
            if (metadata.Error is not null)
            {
                errors.Add(metadata.Error);
            }

            authorizationUrl ??= metadata.AuthorizationEndpoint;
            tokenUrl ??= metadata.TokenEndpoint;
            revocationUrl ??= metadata.RevocationEndpoint;
            usePkce ??= metadata.SupportsS256;
            issuer = metadata.Issuer ?? issuer;
        }

        var definition = request.Definition;
        if (definition is not null)
        {
            ValidateDefinition(definition, grantType, errors);
        }
        else
        {
            if (tokenUrl is null)
            {
                errors.Add("tokenUrl is required (or a preset, an issuer or a templated definition).");
            }

            if (grantType == AuthorizationCode && authorizationUrl is null)
            {
                errors.Add("authorizationUrl is required for authorization_code (or a preset, an issuer or a templated definition).");
            }

            if (string.IsNullOrWhiteSpace(request.ClientId))
            {
                errors.Add("clientId is required.");
            }

            if (grantType == ClientCredentials && string.IsNullOrEmpty(request.ClientSecret) && existing?.ProtectedClientSecret is null)
            {
                errors.Add("clientSecret is required for client_credentials.");
            }
        }

        foreach (var (field, value) in new[] { ("authorizationUrl", authorizationUrl), ("tokenUrl", tokenUrl), ("revocationUrl", revocationUrl),
                     ("issuer", issuer), ("successRedirectUrl", request.SuccessRedirectUrl), ("failureRedirectUrl", request.FailureRedirectUrl) })
        {
            if (!string.IsNullOrEmpty(value) && !IsHttpUrl(value))
            {
                errors.Add($"{field} must be an absolute http(s) URL.");
            }
        }

        var clientAuth = (request.ClientAuth ?? preset?.ClientAuth ?? "basic").ToLowerInvariant();
        if (clientAuth is not ("basic" or "body"))
        {
            errors.Add("clientAuth must be 'basic' or 'body'.");
        }

        var separator = request.ScopeSeparator ?? preset?.ScopeSeparator ?? " ";
        if (!ScopeSeparators.Contains(separator))
        {
            errors.Add("scopeSeparator must be ' ', ',' or '+'.");
        }

        if (request.RefreshBufferSeconds is < 0 or > 86400)
        {
            errors.Add("refreshBufferSeconds must be between 0 and 86400.");
        }

        var tokenRequest = Merge(preset?.TokenRequest, request.TokenRequest);
        ValidateTokenRequest(tokenRequest, errors);
        var expirySignal = request.ExpirySignal ?? preset?.ExpirySignal;
        if (expirySignal?.BodyPattern is { Length: > 0 } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException)
            {
                errors.Add("expirySignal.bodyPattern is not a valid regular expression.");
            }
        }

        if (request.AuthorizationScheme is { Length: > 0 } scheme && !scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add("authorizationScheme must be a single token such as Bearer.");
        }

        if (expirySignal?.StatusCodes?.Any(c => c is < 400 or > 599) == true)
        {
            errors.Add("expirySignal.statusCodes must be 4xx or 5xx statuses.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var authorizeParams = new Dictionary<string, string>(preset?.AuthorizeParams ?? new Dictionary<string, string>());
        foreach (var (key, value) in request.AuthorizeParams ?? new Dictionary<string, string>())
        {
            authorizeParams[key] = value;
        }

        return (new IntegrationConfig
        {
            ClientId = NullIfEmpty(request.ClientId?.Trim()),
            Scopes = (request.Scopes ?? preset?.Scopes ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList(),
            AuthorizationUrl = authorizationUrl,
            TokenUrl = tokenUrl,
            RevocationUrl = revocationUrl,
            Issuer = issuer,
            Preset = preset?.Key,
            Variant = variant?.Key,
            ApiBaseUrl = variant?.ApiBaseUrl ?? preset?.ApiBaseUrl,
            AuthorizeParams = authorizeParams,
            ClientAuth = clientAuth,
            UsePkce = definition is null && (usePkce ?? true),
            ScopeSeparator = separator,
            RefreshBufferSeconds = request.RefreshBufferSeconds ?? preset?.RefreshBufferSeconds,
            SuccessRedirectUrl = NullIfEmpty(request.SuccessRedirectUrl),
            FailureRedirectUrl = NullIfEmpty(request.FailureRedirectUrl),
            TokenRequest = tokenRequest,
            ExpirySignal = expirySignal,
            AuthorizationScheme = NullIfEmpty(request.AuthorizationScheme) ?? preset?.AuthorizationScheme,
            Definition = definition?.DeepClone().AsObject(),
            CallbackBaseUrl = callbackBase,
        }, errors);
    }

    private static void ValidateDefinition(JsonObject definition, string grantType, List<string> errors)
    {
        if (definition["oauth"] is not JsonObject oauth)
        {
            errors.Add("definition.oauth is required (authenticate_url, access_token, refresh, without_code).");
            return;
        }

        // The URL may start with a placeholder ({{ oauth.x }}): only a literal start must be http(s).
        if (grantType == AuthorizationCode && (oauth["authenticate_url"] is not JsonValue url
            || !(url.ToString().StartsWith("{{", StringComparison.Ordinal) || IsHttpUrl(url.ToString().Split('?')[0]))))
        {
            errors.Add("definition.oauth.authenticate_url must be an http(s) URL.");
        }

        foreach (var name in new[] { "access_token", "refresh" })
        {
            var block = oauth[name];
            if (block is null && name == "refresh")
            {
                continue;
            }

            if (block is not JsonObject o || o["url"] is not JsonValue)
            {
                errors.Add($"definition.oauth.{name} must be an object with url, method, data and headers.");
            }
            else if (o["method"] is JsonValue m && m.ToString().ToUpperInvariant() is not ("GET" or "POST" or "PUT"))
            {
                errors.Add($"definition.oauth.{name}.method must be GET, POST or PUT.");
            }
        }
    }

    private static void ValidateTokenRequest(TokenRequestOptions? options, List<string> errors)
    {
        if (options is null)
        {
            return;
        }

        if (options.ContentType is { } contentType && contentType is not ("application/x-www-form-urlencoded" or "application/json"))
        {
            errors.Add("tokenRequest.contentType must be application/x-www-form-urlencoded or application/json.");
        }

        if (options.ExpiresInUnit is { } unit && unit is not ("seconds" or "milliseconds"))
        {
            errors.Add("tokenRequest.expiresInUnit must be 'seconds' or 'milliseconds'.");
        }

        if (options.ResponseFormat is { } format && format is not ("auto" or "json" or "form" or "text"))
        {
            errors.Add("tokenRequest.responseFormat must be auto, json, form or text.");
        }

        if (options.DefaultLifetimeSeconds is <= 0)
        {
            errors.Add("tokenRequest.defaultLifetimeSeconds must be positive.");
        }
    }

    private static TokenRequestOptions? Merge(TokenRequestOptions? preset, TokenRequestOptions? request) =>
        preset is null ? request : request is null ? preset : request with
        {
            ContentType = request.ContentType ?? preset.ContentType,
            Headers = request.Headers ?? preset.Headers,
            Body = request.Body ?? preset.Body,
            Query = request.Query ?? preset.Query,
            GrantTypeValue = request.GrantTypeValue ?? preset.GrantTypeValue,
            TokenPath = request.TokenPath ?? preset.TokenPath,
            RefreshTokenPath = request.RefreshTokenPath ?? preset.RefreshTokenPath,
            ExpiresInPath = request.ExpiresInPath ?? preset.ExpiresInPath,
            ExpiresInUnit = request.ExpiresInUnit ?? preset.ExpiresInUnit,
            DefaultLifetimeSeconds = request.DefaultLifetimeSeconds ?? preset.DefaultLifetimeSeconds,
            ResponseFormat = request.ResponseFormat ?? preset.ResponseFormat,
        };

    private IntegrationDetails Details(IntegrationEntity entity, DateTime? expiresAt, string requestBaseUrl)
    {
        var config = IntegrationConfig.Deserialize(entity.ConfigJson);
        var variables = entity.ProtectedVariables is null ? [] : _repository.Snapshot(entity).Variables.Keys.Order(StringComparer.Ordinal).ToList();
        return new IntegrationDetails
        {
            Id = entity.Id,
            Name = entity.Name,
            GrantType = entity.GrantType,
            Status = entity.Status,
            Health = entity.Health,
            CallbackUrl = _repository.CallbackUrl(requestBaseUrl, entity.Id),
            ClientId = config.ClientId,
            Scopes = config.Scopes,
            AuthorizationUrl = config.AuthorizationUrl,
            TokenUrl = config.TokenUrl,
            RevocationUrl = config.RevocationUrl,
            Issuer = config.Issuer,
            Preset = config.Preset,
            Variant = config.Variant,
            ApiBaseUrl = config.ApiBaseUrl,
            AuthorizeParams = config.AuthorizeParams,
            ClientAuth = config.ClientAuth,
            UsePkce = config.UsePkce,
            ScopeSeparator = config.ScopeSeparator,
            RefreshBufferSeconds = config.RefreshBufferSeconds,
            SuccessRedirectUrl = config.SuccessRedirectUrl,
            FailureRedirectUrl = config.FailureRedirectUrl,
            TokenRequest = config.TokenRequest,
            ExpirySignal = config.ExpirySignal,
            AuthorizationScheme = config.AuthorizationScheme,
            Definition = config.Definition,
            VariableNames = variables,
            LastError = entity.LastError,
            HasClientSecret = entity.ProtectedClientSecret is not null,
            TokenExpiresAt = expiresAt is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : null,
            CreatedAt = new DateTimeOffset(entity.CreatedAt, TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(entity.UpdatedAt, TimeSpan.Zero),
            LastUsedAt = entity.LastUsedAt is { } u ? new DateTimeOffset(u, TimeSpan.Zero) : null,
        };
    }

    private static IntegrationError Invalid(List<string> errors) =>
        new(400, "integration_invalid", "The integration is not valid", string.Join(" ", errors), errors);

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
