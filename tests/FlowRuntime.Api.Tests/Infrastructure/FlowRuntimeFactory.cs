using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FlowRuntime.Api.Tests.Infrastructure;

/// <summary>
/// The real host in-process on a real SQLite file in a temp folder. Two factories on the same folder are
/// the same deployment before and after a restart. Compiled with FLOWRUNTIME_POSTGRESQL (the PostgreSQL test
/// projects), the folder names a fresh PostgreSQL database instead.
/// </summary>
public sealed class FlowRuntimeFactory(string dataPath, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-management-key-0123456789";

    public string DataPath { get; } = dataPath;

    public static string NewDataPath() => Directory.CreateTempSubdirectory("flowruntime-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FlowRuntime:ApiKey", ApiKey);
        builder.UseSetting("FlowRuntime:DataPath", DataPath);
        builder.UseSetting("FlowRuntime:SampleFlowsPath", "");
        builder.UseSetting("FlowRuntime:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
#if FLOWRUNTIME_POSTGRESQL
        builder.UseSetting("FlowRuntime:DatabaseProvider", "PostgreSql");
        builder.UseSetting("ConnectionStrings:FlowRuntime", PostgreSqlTestDatabase.For(DataPath));
        builder.UseSetting("FlowRuntime:MigrateOnStart", "true");
#endif
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that sends the management key.</summary>
    public HttpClient CreateManagementClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }
}

public static class HttpTestExtensions
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("empty body");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PostAsJsonAsync(url, body);

    /// <summary>Creates and publishes a flow; fails the test with the server's problem details otherwise.</summary>
    public static async Task PublishFlowAsync(this HttpClient client, string definitionJson)
    {
        var created = await client.PostJsonAsync("/api/flows", definitionJson);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        var published = await client.PostAsync($"/api/flows/{id}/publish", null);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
    }

    public static async Task<JsonNode> SendMessageAsync(this HttpClient client, string channel, string conversationId, string text, object? contact = null)
    {
        var response = await client.PostJsonAsync($"/api/channels/{channel}/messages", new { conversationId, text, contact });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }
}
