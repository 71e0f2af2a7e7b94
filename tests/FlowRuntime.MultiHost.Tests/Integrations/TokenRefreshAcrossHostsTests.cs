using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.MultiHost.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace FlowRuntime.MultiHost.Tests.Integrations;

/// <summary>Both hosts on one clock that the test moves past each token's expiry.</summary>
public sealed class TimedTwoHosts() : TwoHosts(Clock)
{
    /// <summary>Shared by construction: xunit builds the fixture with its parameterless constructor.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
}

public sealed class TokenRefreshAcrossHostsTests(TimedTwoHosts hosts) : IClassFixture<TimedTwoHosts>
{
    private const int Expiries = 3;
    private const int MessagesPerHost = 120;

    [Fact]
    public async Task FlowRuns_240AtOnceAcrossTwoHostsAfterEachExpiry_ExactlyOneRefreshPerExpiry_NoInvalidGrant()
    {
        await using var provider = await RotatingTokenServer.StartAsync();

        // Created on host A, authorized through host B's callback: state, secrets and tokens live in the database.
        var integration = await CreateIntegrationAsync(hosts.ClientA, provider);
        await AuthorizeAsync(hosts.ClientA, hosts.ClientB, integration);
        Assert.Equal(1, provider.CodeExchanges);
        await hosts.ClientA.PublishFlowAsync(LookupFlow(integration, provider));

        for (var expiry = 1; expiry <= Expiries; expiry++)
        {
            // Past the access token's hour: the next calls on either host need a new token.
            TimedTwoHosts.Clock.Advance(TimeSpan.FromMinutes(61));

            var round = expiry;
            var runs = await Task.WhenAll(Enumerable.Range(0, MessagesPerHost * 2).Select(n =>
                (n % 2 == 0 ? hosts.ClientA : hosts.ClientB).SendMessageAsync("crm", $"expiry{round}-{n}", "look up")));

            Assert.All(runs, run =>
            {
                Assert.Equal("completed", run["status"]!.GetValue<string>());
                Assert.Equal(["Last name: Lovelace"], run["replies"]!.AsArray().Select(r => r!.GetValue<string>()));
            });
            Assert.Equal(expiry, provider.Refreshes);
            Assert.Equal(0, provider.InvalidGrants);
        }

        Assert.Equal(0, provider.ApiRejected);
        Assert.Equal(Expiries * MessagesPerHost * 2, provider.ApiCalls);
        var stored = await hosts.ClientB.GetFromJsonAsync<JsonObject>($"/api/integrations/{integration}");
        Assert.Equal("authorized", stored!["status"]!.GetValue<string>());
    }

    private static async Task<string> CreateIntegrationAsync(HttpClient client, RotatingTokenServer provider)
    {
        var response = await client.PostAsJsonAsync("/api/integrations", new
        {
            name = "Rotating CRM",
            grantType = "authorization_code",
            clientId = "crm-client",
            clientSecret = "crm-client-secret",
            scopes = new[] { "contacts" },
            authorizationUrl = provider.BaseUrl + "/authorize",
            tokenUrl = provider.BaseUrl + "/token",
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>Starts the authorization on one host and lands the provider's redirect on the other.</summary>
    private static async Task AuthorizeAsync(HttpClient start, HttpClient callback, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/integrations/{id}/authorize");
        request.Headers.Accept.ParseAdd("application/json");
        using var authorize = await start.SendAsync(request);
        var body = await authorize.Content.ReadAsStringAsync();
        Assert.True(authorize.IsSuccessStatusCode, body);
        var authorizationUrl = new Uri(JsonNode.Parse(body)!["authorizationUrl"]!.GetValue<string>());
        var state = QueryHelpers.ParseQuery(authorizationUrl.Query)["state"].ToString();

        using var landed = await callback.GetAsync($"/oauth/callback/{id}?code=code-1&state={Uri.EscapeDataString(state)}");
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal("authorized", QueryHelpers.ParseQuery(landed.Headers.Location!.Query)["status"].ToString());
    }

    private static string LookupFlow(string integration, RotatingTokenServer provider) => new JsonObject
    {
        ["id"] = "crm-lookup",
        ["name"] = "CRM lookup",
        ["trigger"] = new JsonObject { ["type"] = "conversation", ["channel"] = "crm" },
        ["start"] = "fetch",
        ["activities"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "fetch",
                ["type"] = "FetchVariables",
                ["inputs"] = new JsonObject
                {
                    ["integration"] = integration,
                    ["url"] = provider.BaseUrl + "/api",
                    ["mappings"] = new JsonObject { ["last_name"] = "data.last_name" },
                },
            },
            new JsonObject { ["id"] = "reply", ["type"] = "SendMessage", ["inputs"] = new JsonObject { ["text"] = "Last name: {{last_name}}" } },
            new JsonObject { ["id"] = "sorry", ["type"] = "SendMessage", ["inputs"] = new JsonObject { ["text"] = "Failed: {{fetch.errorCode}} {{fetch.error}}" } }),
        ["connections"] = new JsonArray(
            new JsonObject { ["source"] = "fetch", ["outcome"] = "Success", ["target"] = "reply" },
            new JsonObject { ["source"] = "fetch", ["outcome"] = "Failure", ["target"] = "sorry" }),
    }.ToJsonString();
}
