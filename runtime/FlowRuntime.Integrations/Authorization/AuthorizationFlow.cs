using System.Security.Cryptography;
using System.Text;
using FlowRuntime.Integrations.Storage;
using FlowRuntime.Integrations.Templates;
using FlowRuntime.Integrations.Tokens;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static FlowRuntime.Integrations.IntegrationConstants;

namespace FlowRuntime.Integrations.Authorization;

/// <summary>The authorization-code flow (RFC 6749 §4.1) with single-use expiring state, PKCE S256 (RFC 7636) and the RFC 9207 issuer check.</summary>
internal sealed partial class AuthorizationFlow
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IntegrationRepository _repository;
    private readonly TokenEndpointClient _endpoint;
    private readonly TokenService _tokens;
    private readonly SecretProtector _protector;
    private readonly TimeProvider _time;
    private readonly IOptions<IntegrationsOptions> _options;
    private readonly ILogger<AuthorizationFlow> _logger;

    public AuthorizationFlow(IServiceScopeFactory scopes, IntegrationRepository repository, TokenEndpointClient endpoint, TokenService tokens,
        SecretProtector protector, TimeProvider time, IOptions<IntegrationsOptions> options, ILogger<AuthorizationFlow> logger)
    {
        _scopes = scopes;
        _repository = repository;
        _endpoint = endpoint;
        _tokens = tokens;
        _protector = protector;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>The provider URL to send the admin's browser to.</summary>
    public async Task<IntegrationResult<string>> CreateAuthorizationUrlAsync(string integrationId, string requestBaseUrl, CancellationToken cancellationToken)
    {
        var integration = await _repository.LoadAsync(integrationId, cancellationToken);
        if (integration is null)
        {
            return IntegrationErrors.NotFound(integrationId);
        }

        if (integration.GrantType != AuthorizationCode)
        {
            return new IntegrationError(400, "grant_type_mismatch", "Not an authorization-code integration",
                "Client-credentials integrations are connected with POST /api/integrations/{id}/connect.");
        }

        var config = integration.Config;
        var redirectUri = _repository.CallbackUrl(requestBaseUrl, integrationId);
        var state = Base64Url(RandomNumberGenerator.GetBytes(32));
        string url;
        string? verifier = null;
        if (config.OAuthTemplate is { } oauth)
        {
            try
            {
                var values = TokenRequests.TemplateValues(integration, redirectUri, null, null);
                url = DefinitionTemplate.Render(oauth["authenticate_url"]?.ToString() ?? "", values, urlEncode: true);
            }
            catch (TemplateValueMissingException e)
            {
                return new IntegrationError(400, "integration_invalid", "The definition cannot be rendered", e.Message, [e.Message]);
            }

            url = TokenEndpointClient.AppendQuery(url, [new("state", state)]);
        }
        else
        {
            var parameters = new List<KeyValuePair<string, string>>
            {
                new("response_type", "code"),
                new("client_id", integration.ClientId ?? ""),
                new("redirect_uri", redirectUri),
            };
            if (config.Scopes.Count > 0)
            {
                parameters.Add(new("scope", string.Join(config.ScopeSeparator, config.Scopes)));
            }

            parameters.Add(new("state", state));
            if (config.UsePkce)
            {
                verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
                parameters.Add(new("code_challenge", Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))));
                parameters.Add(new("code_challenge_method", "S256"));
            }

            foreach (var (key, value) in config.AuthorizeParams)
            {
                parameters.RemoveAll(p => p.Key == key);
                parameters.Add(new(key, value));
            }

            url = TokenEndpointClient.AppendQuery(config.AuthorizationUrl!, parameters);
        }

        await using (var scope = _scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
            var now = _time.GetUtcNow().UtcDateTime;
            await db.OAuthStates.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
            db.OAuthStates.Add(new OAuthStateEntity
            {
                StateHash = SecretProtector.Hash(state),
                IntegrationId = integrationId,
                ProtectedCodeVerifier = _protector.Protect(verifier),
                RedirectUri = redirectUri,
                CreatedAt = now,
                ExpiresAt = now + _options.Value.StateLifetime,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        await _repository.LogAsync(integrationId, "authorize", true, null, null, null, "Sent the admin to the provider to authorize.", cancellationToken);
        return url;
    }

    /// <summary>Handles the provider's redirect back; always returns where to send the browser, never throws for provider failures.</summary>
    public async Task<string> HandleCallbackAsync(string integrationId, IReadOnlyDictionary<string, string?> query, string requestBaseUrl, CancellationToken cancellationToken)
    {
        var integration = await _repository.LoadAsync(integrationId, cancellationToken);
        if (integration is null)
        {
            return Redirect(null, integrationId, "", requestBaseUrl, "integration_not_found");
        }

        var started = _time.GetTimestamp();
        var state = query.GetValueOrDefault("state");
        var pending = state is null ? null : await ConsumeStateAsync(integrationId, state, cancellationToken);
        var providerError = query.GetValueOrDefault("error");
        if (pending is null)
        {
            // Not ours, replayed or expired (RFC 6749 §10.12): the integration's state is left as it is.
            await _repository.LogAsync(integrationId, "callback", false, null, null, "invalid_state",
                "The callback's state is unknown, expired or already used.", cancellationToken);
            return Redirect(integration, integrationId, integration.Name, requestBaseUrl, "invalid_state");
        }

        if (providerError is not null)
        {
            var code = SafeCode(providerError);
            var description = query.GetValueOrDefault("error_description");
            var message = $"The provider answered {code}" + (description is null ? "." : ": " + Truncate(description));
            return await FailAsync(integration, requestBaseUrl, code, message, null, null, cancellationToken);
        }

        // RFC 9207: when the provider names itself, it must be the issuer this integration talks to (mix-up defence).
        if (query.GetValueOrDefault("iss") is { } iss && integration.Config.Issuer is { } issuer
            && !string.Equals(iss.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
        {
            return await FailAsync(integration, requestBaseUrl, "issuer_mismatch", "The callback came from an unexpected issuer.", null, null, cancellationToken);
        }

        var authorizationCode = query.GetValueOrDefault("code");
        if (string.IsNullOrEmpty(authorizationCode) && !integration.Config.WithoutCode)
        {
            return await FailAsync(integration, requestBaseUrl, "missing_code", "The callback has no authorization code.", null, null, cancellationToken);
        }

        TokenHttpRequest request;
        try
        {
            request = TokenRequests.Exchange(integration, string.IsNullOrEmpty(authorizationCode) ? null : authorizationCode, pending.RedirectUri,
                _protector.Unprotect(pending.ProtectedCodeVerifier));
        }
        catch (Exception e) when (e is TemplateValueMissingException or InvalidOperationException)
        {
            return await FailAsync(integration, requestBaseUrl, "integration_invalid", e.Message, null, null, cancellationToken);
        }

        var secrets = integration.Secrets().Concat(authorizationCode is null ? [] : [authorizationCode]).ToList();
        var result = await _endpoint.RequestTokenAsync(request, integration.Config.TokenRequest, secrets, cancellationToken);
        if (result.Failure is { } failure)
        {
            return await FailAsync(integration, requestBaseUrl, "token_request_failed", failure.Message, failure.HttpStatus, result.Duration, cancellationToken);
        }

        var permanent = integration.Config.OAuthTemplate is { } oauth && oauth["refresh"] is null;
        await _repository.SaveTokenAsync(integrationId, result.Grant!, permanent, cancellationToken);
        await _repository.SetStatusAsync(integrationId, Authorized, Yellow, null, cancellationToken);
        _tokens.Invalidate(integrationId);
        await _repository.LogAsync(integrationId, "exchange", true, _time.GetElapsedTime(started), result.HttpStatus, null,
            "Exchanged the authorization code for tokens.", cancellationToken);
        LogAuthorized(_logger, integrationId);
        return Redirect(integration, integrationId, integration.Name, requestBaseUrl, null);
    }

    private async Task<string> FailAsync(IntegrationSnapshot integration, string requestBaseUrl, string code, string message, int? status, TimeSpan? duration, CancellationToken cancellationToken)
    {
        await _repository.SetStatusAsync(integration.Id, Error, null, message, cancellationToken);
        await _repository.LogAsync(integration.Id, "callback", false, duration, status, code, message, cancellationToken);
        LogFailed(_logger, integration.Id, code);
        return Redirect(integration, integration.Id, integration.Name, requestBaseUrl, code);
    }

    /// <summary>Deletes the state row; only the one caller whose delete removed it may continue (single use).</summary>
    private async Task<OAuthStateEntity?> ConsumeStateAsync(string integrationId, string state, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var hash = SecretProtector.Hash(state);
        var row = await db.OAuthStates.AsNoTracking().FirstOrDefaultAsync(s => s.StateHash == hash, cancellationToken);
        if (row is null || await db.OAuthStates.Where(s => s.StateHash == hash).ExecuteDeleteAsync(cancellationToken) != 1)
        {
            return null;
        }

        return row.IntegrationId == integrationId && row.ExpiresAt > _time.GetUtcNow().UtcDateTime ? row : null;
    }

    private string Redirect(IntegrationSnapshot? integration, string id, string name, string requestBaseUrl, string? error)
    {
        var custom = error is null ? integration?.Config.SuccessRedirectUrl : integration?.Config.FailureRedirectUrl;
        var target = custom ?? (_options.Value.PublicBaseUrl ?? requestBaseUrl).TrimEnd('/') + _options.Value.IntegrationsPagePath;
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("integrationId", id),
            new("integrationName", name),
            new("status", error is null ? Authorized : Error),
        };
        if (error is not null)
        {
            parameters.Add(new("error", error));
        }

        return TokenEndpointClient.AppendQuery(target, parameters);
    }

    private static string SafeCode(string value)
    {
        var code = new string(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.').Take(64).ToArray());
        return code.Length == 0 ? "provider_error" : code;
    }

    private static string Truncate(string value) => value.Length > 300 ? value[..300] : value;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(LogLevel.Information, "Integration {IntegrationId} authorized.")]
    private static partial void LogAuthorized(ILogger logger, string integrationId);

    [LoggerMessage(LogLevel.Warning, "Integration {IntegrationId}: authorization failed ({Code}).")]
    private static partial void LogFailed(ILogger logger, string integrationId, string code);
}
