using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Tokens;

namespace FlowRuntime.Integrations.Management;

/// <summary>Authorization server metadata: OpenID Connect Discovery 1.0 §4, then RFC 8414 §3.</summary>
internal sealed class IssuerDiscovery(IHttpClientFactory clients)
{
    public sealed record Metadata(string? Issuer, string? AuthorizationEndpoint, string? TokenEndpoint, string? RevocationEndpoint, bool? SupportsS256, string? Error);

    public async Task<Metadata> DiscoverAsync(string issuer, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri))
        {
            return new Metadata(null, null, null, null, null, "issuer must be an absolute URL.");
        }

        var trimmed = issuer.TrimEnd('/');
        var path = uri.AbsolutePath.TrimEnd('/');
        var candidates = new[]
        {
            trimmed + "/.well-known/openid-configuration",
            uri.GetLeftPart(UriPartial.Authority) + "/.well-known/oauth-authorization-server" + path,
        };
        var client = clients.CreateClient(TokenEndpointClient.ClientName);
        foreach (var candidate in candidates)
        {
            try
            {
                using var response = await client.GetAsync(candidate, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    continue;
                }

                if (JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) is not JsonObject json)
                {
                    continue;
                }

                var methods = json["code_challenge_methods_supported"] as JsonArray;
                return new Metadata(
                    json["issuer"]?.ToString(),
                    json["authorization_endpoint"]?.ToString(),
                    json["token_endpoint"]?.ToString(),
                    json["revocation_endpoint"]?.ToString(),
                    methods is null ? null : methods.Any(m => m?.ToString() == "S256"),
                    null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or TimeoutException
                                       && !cancellationToken.IsCancellationRequested)
            {
                // Try the next well-known location.
            }
        }

        return new Metadata(null, null, null, null, null, $"issuer discovery failed: no metadata at {candidates[0]} or {candidates[1]}.");
    }
}
