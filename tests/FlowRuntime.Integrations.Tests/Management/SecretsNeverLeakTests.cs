using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Integrations.Tests.Management;

/// <summary>Client secrets and tokens never appear in logs (at Trace), API responses, exceptions or the connection log.</summary>
public sealed class SecretsNeverLeakTests : IDisposable
{
    private const string ClientSecret = "cs-9f8e7d6c5b4a-client-secret";
    private const string AccessToken1 = "at-1a2b3c4d5e6f-access-one";
    private const string RefreshToken1 = "rt-1a2b3c4d5e6f-refresh-one";
    private const string AccessToken2 = "at-7a8b9c0d1e2f-access-two";
    private const string RefreshToken2 = "rt-7a8b9c0d1e2f-refresh-two";
    private const string Code = "code-5e6f7a8b9c0d-authorization";

    private readonly ProviderFixture _fixture = new(LogLevel.Trace);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task FullLifecycle_NoSecretOrTokenAnywhere()
    {
        var seen = new List<string>();
        var provider = _fixture.NewProvider()
            .Token("authorization_code", 200, $$"""{"access_token":"{{AccessToken1}}","refresh_token":"{{RefreshToken1}}","expires_in":3600}""")
            .Token("refresh_token=" + RefreshToken1, 200, $$"""{"access_token":"{{AccessToken2}}","refresh_token":"{{RefreshToken2}}","expires_in":3600}""")
            // A provider that echoes the secret in its error description must not get it into our messages.
            .Token("refresh_token=" + RefreshToken2, 400, $$"""{"error":"invalid_grant","error_description":"bad client {{ClientSecret}} / {{RefreshToken2}}"}""")
            .Api(AccessToken2);
        var created = await _fixture.Host.CreateIntegrationAsync(new JsonObject
        {
            ["name"] = "Leaky provider",
            ["clientId"] = "leak-client",
            ["clientSecret"] = ClientSecret,
            ["authorizationUrl"] = provider.Url("authorize"),
            ["tokenUrl"] = provider.Url("token"),
            ["revocationUrl"] = provider.Url("revoke"),
        });
        seen.Add(created.ToJsonString());
        var id = created["id"]!.GetValue<string>();

        await _fixture.Host.CompleteCallbackAsync(id, "code=" + Code);
        using (var client = _fixture.Host.Connections.CreateClient(id))
        {
            using var response = await client.GetAsync(provider.Url("api")); // 401 → refresh → retry
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            _fixture.Host.Time.Advance(TimeSpan.FromHours(2));
            var error = await Assert.ThrowsAsync<IntegrationUnavailableException>(() => client.GetAsync(provider.Url("api")));
            seen.Add(error.ToString());
        }

        using (var management = _fixture.Host.Management())
        {
            seen.Add(await management.GetStringAsync($"/api/integrations/{id}"));
            seen.Add(await management.GetStringAsync("/api/integrations"));
            seen.Add(await management.GetStringAsync($"/api/integrations/{id}/logs"));
            using var disconnected = await management.PostAsync($"/api/integrations/{id}/disconnect", null);
            seen.Add(await disconnected.Content.ReadAsStringAsync());
        }

        seen.AddRange(_fixture.Host.Logs.Messages);
        Assert.NotEmpty(_fixture.Host.Logs.Messages);
        Assert.Contains(seen, s => s.Contains("invalid_grant", StringComparison.Ordinal));
        foreach (var secret in new[] { ClientSecret, AccessToken1, RefreshToken1, AccessToken2, RefreshToken2, Code })
        {
            Assert.DoesNotContain(seen, s => s.Contains(secret, StringComparison.Ordinal));
        }
    }
}
