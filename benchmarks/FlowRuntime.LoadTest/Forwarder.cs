using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace FlowRuntime.LoadTest;

/// <summary>
/// Baseline: a bare ASP.NET Core endpoint that does what the flow does with none of FlowRuntime — forward
/// the message to the upstream with a plain HttpClient and a fixed bearer header, read data.last_name,
/// reply. No engine, database or token service: the cost of one proxy hop in our stack.
/// </summary>
internal sealed class Forwarder(string upstreamBaseUrl, string token) : IAsyncDisposable
{
    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpClient("upstream", c =>
        {
            c.BaseAddress = new Uri(upstreamBaseUrl);
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        });
        _app = builder.Build();
        _app.MapPost("/forward", async (Message message, IHttpClientFactory clients) =>
        {
            var body = await clients.CreateClient("upstream").GetStringAsync($"/contacts/{Uri.EscapeDataString(message.Text)}");
            var lastName = JsonNode.Parse(body)?["data"]?["last_name"]?.GetValue<string>();
            return Results.Json(new { replies = new[] { $"Last name: {lastName}" } });
        });
        await _app.StartAsync();
        BaseUrl = _app.Urls.First();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record Message(string ConversationId, string Text);
}
