using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace FlowRuntime.LoadTest;

/// <summary>Sets FlowRuntime up the way an admin would: an integration authorized through the callback, a published flow.</summary>
internal static class Setup
{
    public static async Task<string> AuthorizeIntegrationAsync(HttpClient admin, Upstream upstream)
    {
        var created = await admin.PostAsJsonAsync("/api/integrations", new
        {
            name = "Contacts API",
            grantType = "authorization_code",
            clientId = "load-test",
            clientSecret = "load-test-secret",
            scopes = new[] { "contacts" },
            authorizationUrl = $"{upstream.BaseUrl}/oauth/authorize",
            tokenUrl = $"{upstream.BaseUrl}/oauth/token",
            clientAuth = "body",
        });
        await EnsureAsync(created);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.ToString();

        using var authorize = new HttpRequestMessage(HttpMethod.Get, $"/api/integrations/{id}/authorize");
        authorize.Headers.Accept.ParseAdd("application/json");
        var authorizationUrl = JsonNode.Parse(await (await admin.SendAsync(authorize)).Content.ReadAsStringAsync())!["authorizationUrl"]!.ToString();

        // The browser's part: the provider approves and sends us back to the callback.
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var approved = await browser.GetAsync(authorizationUrl);
        var callback = await browser.GetAsync(approved.Headers.Location);
        if (callback.StatusCode != HttpStatusCode.Redirect || !callback.Headers.Location!.ToString().Contains("status=authorized", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Authorization failed: {callback.StatusCode} {callback.Headers.Location}");
        }

        return id;
    }

    public static async Task PublishFlowAsync(HttpClient admin, Upstream upstream, string integrationId)
    {
        var definition = new JsonObject
        {
            ["id"] = "load-test",
            ["name"] = "Load test: last name",
            ["trigger"] = new JsonObject { ["type"] = "conversation", ["channel"] = "web" },
            ["start"] = "fetch",
            ["activities"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = "fetch",
                    ["type"] = "FetchVariables",
                    ["inputs"] = new JsonObject
                    {
                        ["integration"] = integrationId,
                        ["method"] = "GET",
                        ["url"] = upstream.BaseUrl + "/contacts/{{message}}",
                        ["mappings"] = new JsonObject { ["last_name"] = "data.last_name" },
                    },
                },
                new JsonObject { ["id"] = "reply", ["type"] = "SendMessage", ["inputs"] = new JsonObject { ["text"] = "Last name: {{last_name}}" } }),
            ["connections"] = new JsonArray(new JsonObject { ["source"] = "fetch", ["outcome"] = "Success", ["target"] = "reply" }),
        };
        await EnsureAsync(await admin.PostAsJsonAsync("/api/flows", definition));
        await EnsureAsync(await admin.PostAsync("/api/flows/load-test/publish", null));

        // A flow without the API call, on its own channel: separates the engine + database share from the HTTP share.
        await EnsureAsync(await admin.PostAsJsonAsync("/api/flows", new
        {
            id = "load-test-reply",
            name = "Load test: reply only",
            trigger = new { type = "conversation", channel = ReplyOnlyChannel },
            start = "reply",
            activities = new[] { new { id = "reply", type = "SendMessage", inputs = new { text = "Last name: Lovelace ({{message}})" } } },
        }));
        await EnsureAsync(await admin.PostAsync("/api/flows/load-test-reply/publish", null));
    }

    public const string ReplyOnlyChannel = "reply-only";

    /// <summary>Creates a conversation channel and returns its secret: messages authenticate as a real channel does.</summary>
    public static async Task<LoadChannel> CreateChannelAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/channels", new { name });
        await EnsureAsync(response);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>();
        return new LoadChannel(name, created!["secret"]!.GetValue<string>());
    }

    public static async Task<bool> SendMessageAsync(HttpClient client, string baseUrl, LoadChannel channel, string conversationId, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/api/channels/{channel.Name}/messages")
        {
            Content = JsonContent.Create(new { conversationId, text = n.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        request.Headers.Add("X-Channel-Secret", channel.Secret);
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("Last name: Lovelace", StringComparison.Ordinal);
    }

    public static async Task<bool> TrySendMessageAsync(HttpClient client, string baseUrl, LoadChannel channel, string conversationId, int n)
    {
        try
        {
            return await SendMessageAsync(client, baseUrl, channel, conversationId, n);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

internal sealed record LoadChannel(string Name, string Secret);
