using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Plugins.Http.Internal;
using FlowRuntime.Plugins.Http.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FlowRuntime.Plugins.Http.Tests.Activities;

public sealed class FetchVariablesTests : IDisposable
{
    private const string Contact = """
        {"data":{"id":"abc","first_name":"Ada","last_name":"Lovelace","items":[{"id":"i-1"},{"id":"i-2"}]}}
        """;

    private readonly WireMockServer _api = WireMockServer.Start();
    private readonly HttpHarness _harness = new();

    private string ApiUrl => $"http://127.0.0.1:{_api.Port}";

    [Fact]
    public async Task Fetch_TeamleaderContactThroughIntegration_MapsPathsAndRecordsUse()
    {
        _harness.Integrations.Add("teamleader", "tl-token");
        _api.Given(Request.Create().WithPath("/contacts.info").UsingPost()
                .WithHeader("Authorization", "Bearer tl-token")
                .WithBody(new JsonMatcher("""{"id":"abc"}""")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Contact));

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            integration = "teamleader",
            method = "POST",
            url = ApiUrl + "/contacts.info",
            body = new { id = "{{id}}" },
            mappings = new Dictionary<string, string> { ["last_name"] = "data.last_name", ["first_item"] = "data.items[0].id", ["ids"] = "$..id" },
        }, "Success", "Failure"), new JsonObject { ["id"] = "abc" });

        Assert.Equal(FlowInstanceStatus.Completed, result.Instance.Status);
        Assert.Equal("Success", result.Outcome());
        Assert.Equal("Lovelace", result.Text("last_name"));
        Assert.Equal("i-1", result.Text("first_item"));
        Assert.Equal(["abc", "i-1", "i-2"], result.Var("ids")!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(200, result.Var("call.status")!.GetValue<int>());
        var (id, use) = Assert.Single(_harness.Integrations.Uses);
        Assert.Equal("teamleader", id);
        Assert.True(use.Success);
        Assert.Equal(200, use.HttpStatus);
    }

    [Fact]
    public async Task Fetch_PathMissing_FailsWithReasonAndSetsNoVariable()
    {
        _api.Given(Request.Create().WithPath("/contact")).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Contact));

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            url = ApiUrl + "/contact",
            mappings = new Dictionary<string, string> { ["last_name"] = "data.last_name", ["phone"] = "data.telephones[0].number" },
        }, "Success", "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal("Failure", result.Text("took"));
        Assert.Equal(HttpErrorCodes.MissingPath, result.Text("call.errorCode"));
        Assert.Contains("data.telephones[0].number", result.Text("call.error"), StringComparison.Ordinal);
        // All or nothing: the path that did match is not applied either.
        Assert.Null(result.Var("last_name"));
    }

    [Fact]
    public async Task Fetch_ServerAnswers500_FailsWithStatusAndBodyInReason()
    {
        _harness.Integrations.Add("teamleader", "tl-token");
        _api.Given(Request.Create().WithPath("/contacts.info"))
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody("""{"errors":[{"title":"Database unavailable"}]}"""));

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            integration = "teamleader",
            method = "POST",
            url = ApiUrl + "/contacts.info",
            mappings = new Dictionary<string, string> { ["last_name"] = "data.last_name" },
        }, "Success", "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(500, result.Var("call.status")!.GetValue<int>());
        Assert.Equal(HttpErrorCodes.UnexpectedStatus, result.Text("call.errorCode"));
        Assert.Equal("127.0.0.1 answered 500 Internal Server Error: {\"errors\":[{\"title\":\"Database unavailable\"}]}", result.Text("call.error"));
        var (_, use) = Assert.Single(_harness.Integrations.Uses);
        Assert.False(use.Success);
        Assert.Equal(500, use.HttpStatus);
        Assert.Equal(result.Text("call.error"), use.Error);
    }

    [Fact]
    public async Task Fetch_ConnectionRefused_FailsWithConnectError()
    {
        var closedPort = FreePort();

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            url = $"http://127.0.0.1:{closedPort}/contact",
            mappings = new Dictionary<string, string> { ["x"] = "x" },
        }, "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.ConnectError, result.Text("call.errorCode"));
        Assert.StartsWith("Could not connect to 127.0.0.1:", result.Text("call.error"), StringComparison.Ordinal);
        Assert.Null(result.Var("call.status"));
    }

    [Fact]
    public async Task Fetch_BodyIsNotJson_FailsWithNotJson()
    {
        _api.Given(Request.Create().WithPath("/page")).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>hi</html>"));

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            url = ApiUrl + "/page",
            mappings = new Dictionary<string, string> { ["title"] = "data.title" },
        }, "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.NotJson, result.Text("call.errorCode"));
        Assert.Contains("text/html", result.Text("call.error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_OAuthTemplateValues_FillUrlHeadersAndBody()
    {
        // Zoho style: the API host comes from the token response (api_domain), not from the flow.
        _harness.Integrations.Add("zoho", "zoho-token", new() { ["api_base_url"] = ApiUrl, ["org"] = "org-7" });
        _api.Given(Request.Create().WithPath("/crm/v2/Contacts/42").UsingPost()
                .WithHeader("Authorization", "Bearer zoho-token")
                .WithHeader("X-Org", "org-7")
                .WithBody(new JsonMatcher("""{"contact":"42","org":"org-7"}""")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"data":[{"Last_Name":"Hopper"}]}"""));

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            integration = "zoho",
            method = "POST",
            url = "{{ oauth.api_base_url }}/crm/v2/Contacts/{{id}}",
            headers = new Dictionary<string, string> { ["X-Org"] = "{{oauth.org}}" },
            body = new { contact = "{{id}}", org = "<<oauth.org>>" },
            mappings = new Dictionary<string, string> { ["last_name"] = "data[0].Last_Name" },
        }, "Success", "Failure"), new JsonObject { ["id"] = "42" });

        Assert.True("Success" == result.Outcome(), result.Text("call.error") ?? result.Instance.Error?.Message);
        Assert.Equal("Hopper", result.Text("last_name"));
    }

    [Fact]
    public async Task Fetch_IntegrationNeedsReauthorization_FailsWithAuthorizationNeeded_SendsNothing()
    {
        _harness.Integrations.Add("teamleader", "tl-token").UnavailableCode = "needs_reauthorization";
        _api.Given(Request.Create().WithPath("/contacts.info")).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));

        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            integration = "teamleader",
            method = "POST",
            url = ApiUrl + "/contacts.info",
            mappings = new Dictionary<string, string> { ["x"] = "x" },
        }, "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.AuthorizationNeeded, result.Text("call.errorCode"));
        Assert.StartsWith("Authorization needed for integration 'teamleader' (needs_reauthorization)", result.Text("call.error"), StringComparison.Ordinal);
        Assert.Empty(_api.LogEntries);
        Assert.False(Assert.Single(_harness.Integrations.Uses).Use.Success);
    }

    [Fact]
    public async Task Fetch_UnknownIntegration_FailsWithAuthorizationNeeded()
    {
        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            integration = "deleted-integration",
            url = ApiUrl + "/contacts.info",
            mappings = new Dictionary<string, string> { ["x"] = "x" },
        }, "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.AuthorizationNeeded, result.Text("call.errorCode"));
        Assert.Contains("'deleted-integration' does not exist", result.Text("call.error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_UrlNotAbsolute_FailsWithInvalidRequest()
    {
        var result = await _harness.RunAsync(HttpHarness.OneStep("FetchVariables", new
        {
            url = "/contacts/{{id}}",
            mappings = new Dictionary<string, string> { ["x"] = "x" },
        }, "Failure"), new JsonObject { ["id"] = "1" });

        Assert.Equal(HttpErrorCodes.InvalidRequest, result.Text("call.errorCode"));
        Assert.Equal("'/contacts/1' is not an absolute http(s) URL.", result.Text("call.error"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _api.Stop();
        _api.Dispose();
        _harness.Dispose();
    }
}
