using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Plugins.Http.Tests.Infrastructure;

/// <summary>The real host in-process on a real SQLite file in a temp folder, with extra settings and services per test.</summary>
internal sealed class HostFactory(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-management-key-0123456789";

    public string DataPath { get; } = Directory.CreateTempSubdirectory("flowruntime-http-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FlowRuntime:ApiKey", ApiKey);
        builder.UseSetting("FlowRuntime:DataPath", DataPath);
        builder.UseSetting("FlowRuntime:SampleFlowsPath", "");
        builder.UseSetting("FlowRuntime:PluginsPath", Path.Combine(DataPath, "no-plugins"));
        builder.UseSetting("FlowRuntime:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    public HttpClient CreateManagementClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>The repository root (where FlowRuntime.sln is), for the files under flows/.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlowRuntime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("FlowRuntime.sln not found above " + AppContext.BaseDirectory);
    }
}

internal static class HostClientExtensions
{
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Creates (and optionally publishes) a flow; fails the test with the server's problem details otherwise.</summary>
    public static async Task CreateFlowAsync(this HttpClient client, string definitionJson, bool publish = true)
    {
        var created = await client.PostJsonAsync("/api/flows", definitionJson);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        if (publish)
        {
            var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
            var published = await client.PostAsync($"/api/flows/{id}/publish", null);
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        }
    }

    public static async Task<JsonNode> SendMessageAsync(this HttpClient client, string channel, string conversationId, string text)
    {
        var response = await client.PostJsonAsync($"/api/channels/{channel}/messages",
            System.Text.Json.JsonSerializer.Serialize(new { conversationId, text, contact = new { id = "c-1" } }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    public static IReadOnlyList<string> Replies(this JsonNode response) => [.. response["replies"]!.AsArray().Select(r => r!.GetValue<string>())];
}
