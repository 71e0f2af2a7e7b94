using System.Net;
using FlowRuntime.Api.Tests.Infrastructure;

namespace FlowRuntime.Api.Tests.Flows;

public sealed class FlowsApiTests : IDisposable
{
    private readonly FlowRuntimeFactory _factory = new(FlowRuntimeFactory.NewDataPath());
    private readonly HttpClient _client;

    public FlowsApiTests() => _client = _factory.CreateManagementClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Api_WithoutKey_Returns401Problem()
    {
        var response = await _factory.CreateClient().GetAsync("/api/flows");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", (await response.ReadJsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_WrongKey_Returns401()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong-key-wrong-key-wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/activities")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/nope")]
    [InlineData("POST", "/api/flows/x/nope")]
    public async Task Api_UnknownPath_Returns404Problem_NotTheDesignerPage(string method, string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_found", (await response.ReadJsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Crud_CreateGetUpdateListDelete_Works()
    {
        var created = await _client.PostJsonAsync("/api/flows", SampleFlows.AskName);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/flows/ask-name", created.Headers.Location?.ToString());
        Assert.Empty((await created.ReadJsonAsync())["errors"]!.AsArray());

        var renamed = SampleFlows.AskName.Replace("\"name\":\"Ask name\"", "\"name\":\"Renamed\"");
        var updated = await _client.PutAsync("/api/flows/ask-name", new StringContent(renamed, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        var fetched = await (await _client.GetAsync("/api/flows/ask-name")).ReadJsonAsync();
        Assert.Equal("Renamed", fetched["name"]!.GetValue<string>());
        Assert.Equal("ask", fetched["definition"]!["start"]!.GetValue<string>());

        var list = await (await _client.GetAsync("/api/flows")).ReadJsonAsync();
        Assert.Equal("ask-name", Assert.Single(list.AsArray())!["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/api/flows/ask-name")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/flows/ask-name")).StatusCode);
    }

    [Fact]
    public async Task Create_WithoutId_DerivesUniqueIdFromName()
    {
        var first = await (await _client.PostJsonAsync("/api/flows", """{"name":"Order Status!"}""")).ReadJsonAsync();
        var second = await (await _client.PostJsonAsync("/api/flows", """{"name":"Order Status!"}""")).ReadJsonAsync();

        Assert.Equal("order-status", first["id"]!.GetValue<string>());
        Assert.Equal("order-status-2", second["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ExistingId_Returns409()
    {
        await _client.PostJsonAsync("/api/flows", SampleFlows.AskName);

        var again = await _client.PostJsonAsync("/api/flows", SampleFlows.AskName);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("flow_exists", (await again.ReadJsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_InvalidDraft_Returns400WithEveryError()
    {
        await _client.PostJsonAsync("/api/flows", """
            {"id":"bad","name":"Bad","start":"missing","activities":[
              {"id":"a","type":"Nope"},{"id":"b","type":"SendMessage","inputs":{"extra":"x"}}],
             "connections":[{"source":"b","outcome":"Done","target":"ghost"}]}
            """);

        var response = await _client.PostAsync("/api/flows/bad/publish", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("flow_invalid", problem["code"]!.GetValue<string>());
        Assert.Equal(
            ["unknown_activity_type", "unknown_input", "missing_required_input", "dangling_connection", "unknown_start"],
            problem["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()));
        Assert.Equal("b", problem["errors"]![1]!["activityId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Save_InvalidDraft_IsKeptAndErrorsReturned()
    {
        var response = await _client.PostJsonAsync("/api/flows", """{"id":"wip","name":"Work in progress","activities":[{"id":"a","type":"SendMessage"}]}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var codes = (await response.ReadJsonAsync())["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>());
        Assert.Equal(["missing_required_input", "missing_start"], codes);
    }

    [Fact]
    public async Task Create_MalformedJson_Returns400Problem()
    {
        var response = await _client.PostJsonAsync("/api/flows", """{"name": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("invalid_request", problem["code"]!.GetValue<string>());
        Assert.Contains("JSON", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WithoutName_Returns400()
    {
        var response = await _client.PostJsonAsync("/api/flows", """{"activities":[]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("flow_invalid", (await response.ReadJsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_KeepsVersions_AndRunningInstancesKeepTheirVersion()
    {
        await _client.PublishFlowAsync(SampleFlows.AskName);
        var first = await _client.SendMessageAsync("web", "c-1", "hi", new { id = "7" });
        Assert.Equal("suspended", first["status"]!.GetValue<string>());

        var changed = SampleFlows.AskName.Replace("Hello {{name}}", "Bonjour {{name}}");
        await _client.PutAsync("/api/flows/ask-name", new StringContent(changed, System.Text.Encoding.UTF8, "application/json"));
        var second = await (await _client.PostAsync("/api/flows/ask-name/publish", null)).ReadJsonAsync();
        Assert.Equal(2, second["version"]!.GetValue<int>());

        // The conversation started on version 1 finishes on version 1; a new one gets version 2.
        var old = await _client.SendMessageAsync("web", "c-1", "Ada");
        Assert.Equal("Hello Ada (contact 7)", old["replies"]![0]!.GetValue<string>());
        await _client.SendMessageAsync("web", "c-2", "hi", new { id = "8" });
        var fresh = await _client.SendMessageAsync("web", "c-2", "Bob");
        Assert.Equal("Bonjour Bob (contact 8)", fresh["replies"]![0]!.GetValue<string>());

        var versions = await (await _client.GetAsync("/api/flows/ask-name/versions")).ReadJsonAsync();
        Assert.Equal([2, 1], versions.AsArray().Select(v => v!["version"]!.GetValue<int>()));
        var v1 = await (await _client.GetAsync("/api/flows/ask-name/versions/1")).ReadJsonAsync();
        Assert.Contains("Hello {{name}}", v1.ToJsonString());
    }

    [Fact]
    public async Task Publish_SecondFlowOnSameChannel_Returns409_UntilFirstUnpublished()
    {
        await _client.PublishFlowAsync(SampleFlows.AskName);
        await _client.PostJsonAsync("/api/flows", SampleFlows.AskName.Replace("\"id\":\"ask-name\"", "\"id\":\"other\""));

        var conflict = await _client.PostAsync("/api/flows/other/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("channel_in_use", (await conflict.ReadJsonAsync())["code"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync("/api/flows/ask-name/unpublish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/flows/other/publish", null)).StatusCode);
    }

    [Fact]
    public async Task Run_Draft_ContinuesTestConversationWithJournal()
    {
        await _client.PostJsonAsync("/api/flows", SampleFlows.AskName.Replace(" (contact {{contact.id}})", ""));

        var first = await (await _client.PostJsonAsync("/api/flows/ask-name/run", new { conversationId = "t1" })).ReadJsonAsync();
        Assert.Equal("suspended", first["status"]!.GetValue<string>());
        var second = await (await _client.PostJsonAsync("/api/flows/ask-name/run", new { conversationId = "t1", text = "Ada" })).ReadJsonAsync();

        Assert.Equal("completed", second["status"]!.GetValue<string>());
        Assert.Equal("Hello Ada", second["replies"]![0]!.GetValue<string>());
        Assert.Equal("Ada", second["variables"]!["name"]!.GetValue<string>());
        var journal = second["journal"]!.AsArray();
        Assert.Equal(["ask", "ask", "hello"], journal.Select(j => j!["activityId"]!.GetValue<string>()));
        Assert.Equal(["Suspended", "Done", "Done"], journal.Select(j => j!["outcome"]!.GetValue<string>()));
        // The test panel shows the variables after each step.
        Assert.Equal("Ada", journal[^1]!["variables"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_WithVariables_UsesThem()
    {
        await _client.PostJsonAsync("/api/flows", """
            {"id":"v","name":"V","start":"s","activities":[{"id":"s","type":"SendMessage","inputs":{"text":"Order {{order.id}}"}}]}
            """);

        var result = await (await _client.PostJsonAsync("/api/flows/v/run", new { variables = new { order = new { id = 12 } } })).ReadJsonAsync();

        Assert.Equal("Order 12", result["replies"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Activities_DescribeFirstPartySteps()
    {
        var activities = (await (await _client.GetAsync("/api/activities")).ReadJsonAsync()).AsArray();

        var types = activities.Select(a => a!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("AskQuestion", types);
        Assert.Contains("Branch", types);
        var ask = activities.First(a => a!["type"]!.GetValue<string>() == "AskQuestion")!;
        Assert.Equal("Ask Question", ask["displayName"]!.GetValue<string>());
        Assert.Equal("multiline", ask["inputs"]![0]!["uiHint"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApi_DocumentsManagementApi()
    {
        var document = await (await _factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/flows", paths);
        Assert.Contains("/api/flows/{id}/publish", paths);
        Assert.Contains("/api/channels/{channel}/messages", paths);
    }

    [Fact]
    public async Task Health_IsHealthy() =>
        Assert.Equal("Healthy", await _factory.CreateClient().GetStringAsync("/health"));
}
