using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Plugins.Http.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FlowRuntime.Plugins.Http.Tests.EndToEnd;

/// <summary>
/// Seed 000's walkthrough end to end: the admin registers and authorizes a Teamleader integration (real
/// authorization-code flow through the callback; WireMock plays Teamleader's token endpoint and API), the sample
/// flow from flows/ is pointed at it, and a user converses over the channel endpoint.
/// </summary>
public sealed class TeamleaderWalkthroughTests : IDisposable
{
    private const string Contact = """{"data":{"id":"contact-42","first_name":"Ada","last_name":"Lovelace"}}""";

    private readonly WireMockServer _teamleader = WireMockServer.Start();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly HostFactory _host;

    public TeamleaderWalkthroughTests()
    {
        _host = new HostFactory(
            new Dictionary<string, string?>
            {
                // Refresh only when a call needs it, so the test sees expiry mid-conversation; no back-off waits.
                ["FlowRuntime:Integrations:BackgroundRefreshInterval"] = "00:00:00",
                ["FlowRuntime:Integrations:RetryDelay"] = "00:00:00",
            },
            services => services.AddSingleton<TimeProvider>(_time));

        // Teamleader's token endpoint: the code for the first token pair, then the refresh token for the next.
        _teamleader.Given(Request.Create().WithPath("/oauth2/access_token").UsingPost().WithBody(new RegexMatcher("grant_type=authorization_code")))
            .RespondWith(Token("token-1", "refresh-1"));
        _teamleader.Given(Request.Create().WithPath("/oauth2/access_token").UsingPost().WithBody(new RegexMatcher("grant_type=refresh_token")))
            .RespondWith(Token("token-2", "refresh-2"));
    }

    private string TeamleaderUrl => $"http://127.0.0.1:{_teamleader.Port}";

    [Fact]
    public async Task Walkthrough_AuthorizeThenConverse_RepliesLastName_TokenExpiryMidConversationInvisible()
    {
        ApiAnswers(200, Contact, "token-1", "token-2");
        var client = _host.CreateManagementClient();
        var integrationId = await CreateAndAuthorizeAsync(client);
        await PublishSampleFlowAsync(client, integrationId);

        var question = await client.SendMessageAsync("teamleader", "conv-1", "hi");
        // The user takes two hours to answer: the access token (expires_in 3600) has expired meanwhile.
        _time.Advance(TimeSpan.FromHours(2));
        var answer = await client.SendMessageAsync("teamleader", "conv-1", "contact-42");

        Assert.Equal(["Which Teamleader contact id should I look up?"], question.Replies());
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        Assert.Equal(["The contact's last name is Lovelace."], answer.Replies());
        // The expiry was handled by a refresh, not seen by the user: the API got the new token once.
        Assert.Single(_teamleader.LogEntries, e => e.RequestMessage!.Path == "/oauth2/access_token" && e.RequestMessage!.Body!.Contains("grant_type=refresh_token", StringComparison.Ordinal));
        var apiCall = Assert.Single(_teamleader.LogEntries, e => e.RequestMessage!.Path == "/contacts.info");
        Assert.Equal("Bearer token-2", apiCall.RequestMessage!.Headers!["Authorization"].Single());
        Assert.Equal("""{"id":"contact-42"}""", apiCall.RequestMessage!.Body);
        var integration = await GetJsonAsync(client, $"/api/integrations/{integrationId}");
        Assert.Equal("green", integration["health"]!.GetValue<string>());
    }

    [Fact]
    public async Task Walkthrough_ApiRejectsTokenBeforeItsExpiry_RefreshesAndRetriesOnce_UserSeesLastName()
    {
        // Teamleader revoked token-1 early: only token-2 is accepted, the first call gets 401.
        ApiAnswers(200, Contact, "token-2");
        var client = _host.CreateManagementClient();
        var integrationId = await CreateAndAuthorizeAsync(client);
        await PublishSampleFlowAsync(client, integrationId);

        await client.SendMessageAsync("teamleader", "conv-3", "hi");
        var answer = await client.SendMessageAsync("teamleader", "conv-3", "contact-42");

        Assert.Equal(["The contact's last name is Lovelace."], answer.Replies());
        Assert.Equal(["Bearer token-1", "Bearer token-2"],
            _teamleader.LogEntries.Where(e => e.RequestMessage!.Path == "/contacts.info").Select(e => e.RequestMessage!.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task Walkthrough_ApiFails_FlowTakesFailureWithReadableReason_HealthRed()
    {
        ApiAnswers(500, """{"errors":[{"title":"Internal error"}]}""", "token-1");
        var client = _host.CreateManagementClient();
        var integrationId = await CreateAndAuthorizeAsync(client);
        await PublishSampleFlowAsync(client, integrationId);

        await client.SendMessageAsync("teamleader", "conv-2", "hi");
        var answer = await client.SendMessageAsync("teamleader", "conv-2", "contact-42");

        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        Assert.Equal(["Sorry, I could not look that up: 127.0.0.1 answered 500 Internal Server Error: {\"errors\":[{\"title\":\"Internal error\"}]}"], answer.Replies());
        var integration = await GetJsonAsync(client, $"/api/integrations/{integrationId}");
        Assert.Equal("red", integration["health"]!.GetValue<string>());
        var logs = (await GetJsonAsync(client, $"/api/integrations/{integrationId}/logs")).AsArray();
        Assert.Contains(logs, l => l!["kind"]!.GetValue<string>() == "api_call" && l["httpStatus"]?.GetValue<int>() == 500 && !l["success"]!.GetValue<bool>());
    }

    /// <summary>The admin's part: create the integration, authorize it, come back through the callback.</summary>
    private async Task<string> CreateAndAuthorizeAsync(HttpClient client)
    {
        var created = await client.PostJsonAsync("/api/integrations", JsonSerializer.Serialize(new
        {
            name = "teamleader",
            grantType = "authorization_code",
            clientId = "teamleader-client",
            clientSecret = "teamleader-secret-value",
            scopes = new[] { "contacts" },
            authorizationUrl = TeamleaderUrl + "/oauth2/authorize",
            tokenUrl = TeamleaderUrl + "/oauth2/access_token",
        }));
        var integration = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, integration.ToJsonString());
        var id = integration["id"]!.GetValue<string>();
        var callbackUrl = new Uri(integration["callbackUrl"]!.GetValue<string>());

        using var authorize = new HttpRequestMessage(HttpMethod.Get, $"/api/integrations/{id}/authorize");
        authorize.Headers.Accept.ParseAdd("application/json");
        var authorizationUrl = new Uri((await (await client.SendAsync(authorize)).ReadJsonAsync())["authorizationUrl"]!.GetValue<string>());
        var query = QueryHelpers.ParseQuery(authorizationUrl.Query);
        Assert.Equal(TeamleaderUrl + "/oauth2/authorize", authorizationUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal(callbackUrl.ToString(), query["redirect_uri"].ToString());

        // Teamleader's login page sends the browser back to the callback with a code and the state.
        var callback = await client.GetAsync($"{callbackUrl.PathAndQuery}?code=auth-code-123&state={Uri.EscapeDataString(query["state"].ToString())}");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("authorized", QueryHelpers.ParseQuery(callback.Headers.Location!.Query)["status"].ToString());
        Assert.Equal("authorized", (await GetJsonAsync(client, $"/api/integrations/{id}"))["status"]!.GetValue<string>());
        return id;
    }

    /// <summary>The designer's part: the sample flow from flows/, with the integration picked and the API pointed at WireMock.</summary>
    private async Task PublishSampleFlowAsync(HttpClient client, string integrationId)
    {
        var flow = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(HostFactory.RepositoryRoot(), "flows", "teamleader-last-name.json")))!;
        var fetch = flow["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "fetch")!["inputs"]!;
        Assert.Equal("https://api.focus.teamleader.eu/contacts.info", fetch["url"]!.GetValue<string>());
        fetch["url"] = TeamleaderUrl + "/contacts.info";
        fetch["integration"] = integrationId;
        await client.CreateFlowAsync(flow.ToJsonString());
    }

    private void ApiAnswers(int status, string body, params string[] acceptedTokens)
    {
        foreach (var token in acceptedTokens)
        {
            _teamleader.Given(Request.Create().WithPath("/contacts.info").UsingPost().WithHeader("Authorization", $"Bearer {token}"))
                .AtPriority(1)
                .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
        }

        // Any other token is an expired or unknown one (RFC 6750 §3.1).
        _teamleader.Given(Request.Create().WithPath("/contacts.info")).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    private static IResponseBuilder Token(string accessToken, string refreshToken) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"{{accessToken}}","token_type":"Bearer","expires_in":3600,"refresh_token":"{{refreshToken}}"}""");

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var json = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json;
    }

    public void Dispose()
    {
        _host.Dispose();
        _teamleader.Stop();
        _teamleader.Dispose();
    }
}
