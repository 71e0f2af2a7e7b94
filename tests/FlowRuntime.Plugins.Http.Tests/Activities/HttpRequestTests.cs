using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Http;
using FlowRuntime.Plugins.Http.Internal;
using FlowRuntime.Plugins.Http.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FlowRuntime.Plugins.Http.Tests.Activities;

public sealed class HttpRequestTests : IDisposable
{
    private readonly WireMockServer _api = WireMockServer.Start();
    private readonly HttpHarness _harness = new();

    private string ApiUrl => $"http://127.0.0.1:{_api.Port}";

    [Fact]
    public async Task Request_Json200_SavesStatusHeadersAndParsedBody_LeavesThroughSuccess()
    {
        _api.Given(Request.Create().WithPath("/deals").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("X-Rate-Remaining", "99")
                .WithBody("""{"data":[{"id":"d-1","value":12.5}]}"""));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/deals", saveResponseAs = "response" }, "Success", "Failure"));

        Assert.Equal("Success", result.Outcome());
        Assert.Equal(200, result.Var("response.statusCode")!.GetValue<int>());
        Assert.Equal("99", result.Text("response.headers.x-rate-remaining"));
        Assert.Equal("application/json", result.Text("response.headers.content-type"));
        Assert.Equal(12.5, result.Var("response.body")!["data"]![0]!["value"]!.GetValue<double>());
        Assert.Null(result.Var("call.error"));
    }

    [Fact]
    public async Task Request_StatusPortConnected_TakesStatusPortOverSuccess()
    {
        _api.Given(Request.Create().WithPath("/deals").UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"id":"d-2"}"""));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { method = "POST", url = ApiUrl + "/deals", body = new { title = "x" } }, "Success", "201", "Failure"));

        Assert.Equal("201", result.Outcome());
        Assert.Equal(201, result.Var("call.status")!.GetValue<int>());
    }

    [Fact]
    public async Task Request_Unexpected404_PortNotConnected_FailsWithReason_SavesResponse()
    {
        _api.Given(Request.Create().WithPath("/contacts/9")).RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"message":"Contact not found"}"""));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/contacts/9", saveResponseAs = "response" }, "Success", "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.UnexpectedStatus, result.Text("call.errorCode"));
        Assert.Equal("127.0.0.1 answered 404 Not Found: {\"message\":\"Contact not found\"}", result.Text("call.error"));
        Assert.Equal("Contact not found", result.Text("response.body.message"));
    }

    [Fact]
    public async Task Request_404ListedAsExpected_LeavesThroughSuccess()
    {
        _api.Given(Request.Create().WithPath("/contacts/9")).RespondWith(Response.Create().WithStatusCode(404));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/contacts/9", expectedStatusCodes = "200, 404" }, "Success", "Failure"));

        Assert.Equal("Success", result.Outcome());
        Assert.Null(result.Var("call.error"));
    }

    [Fact]
    public async Task Request_Server500_FailsWithReadableReason()
    {
        _api.Given(Request.Create().WithPath("/boom")).RespondWith(Response.Create().WithStatusCode(500).WithBody("upstream exploded\n  at line 3"));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/boom" }, "Success", "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal("127.0.0.1 answered 500 Internal Server Error: upstream exploded at line 3", result.Text("call.error"));
    }

    [Fact]
    public async Task Request_NoAnswerWithinTimeout_LeavesThroughTimeout()
    {
        _api.Given(Request.Create().WithPath("/slow")).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(5)));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/slow", timeoutSeconds = 1 }, "Success", "Failure", "Timeout"));

        Assert.Equal("Timeout", result.Outcome());
        Assert.Equal(HttpErrorCodes.Timeout, result.Text("call.errorCode"));
        Assert.Equal("Timeout: 127.0.0.1 did not answer within 1 s.", result.Text("call.error"));
    }

    [Fact]
    public async Task Request_TimeoutPortNotConnected_FallsBackToFailure()
    {
        _api.Given(Request.Create().WithPath("/slow")).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(5)));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/slow", timeoutSeconds = 1 }, "Success", "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.Timeout, result.Text("call.errorCode"));
    }

    [Fact]
    public async Task Request_IntegrationClientAttemptTimesOut_LeavesThroughTimeout()
    {
        // The integration clients' retry handler (1 s per attempt, no retries) in front of the outbound client:
        // its TimeoutException is a timeout of the step, not an error.
        _api.Given(Request.Create().WithPath("/slow")).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(5)));
        using var harness = new HttpHarness(configure: services => services.AddHttpClient("test-outbound")
            .AddHttpMessageHandler(() => new OutboundRetryHandler(0, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeProvider.System)));

        var result = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/slow" }, "Success", "Failure", "Timeout"));

        Assert.Equal("Timeout", result.Outcome());
        Assert.Equal(HttpErrorCodes.Timeout, result.Text("call.errorCode"));
        Assert.Equal("Timeout: 127.0.0.1 did not answer.", result.Text("call.error"));
    }

    [Fact]
    public async Task Request_TextBody_SavedAsText()
    {
        _api.Given(Request.Create().WithPath("/ping")).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/plain").WithBody("pong"));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/ping", saveResponseAs = "response" }, "Success"));

        Assert.Equal("Success", result.Outcome());
        Assert.Equal("pong", result.Var("response.body")!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", "\uFEFF{\"name\":\"Zoë\"}", "utf-8", "Zoë")] // BOM before the JSON
    [InlineData("application/json; charset=iso-8859-1", "{\"name\":\"Zoë\"}", "iso-8859-1", "Zoë")] // not UTF-8
    [InlineData("text/plain", "  [\"Zoë\"]", "utf-8", null)] // undeclared, but looks like JSON
    public async Task Request_JsonBodies_ParsedWhateverTheirEncoding(string contentType, string body, string encoding, string? name)
    {
        var bytes = System.Text.Encoding.GetEncoding(encoding).GetBytes(body);
        _api.Given(Request.Create().WithPath("/enc")).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(bytes));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/enc", saveResponseAs = "response" }, "Success"));

        Assert.Equal("Success", result.Outcome());
        var parsed = result.Var("response.body")!;
        Assert.Equal("Zoë", name is null ? parsed[0]!.GetValue<string>() : parsed["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_DeclaredJsonThatIsNot_SavedAsText()
    {
        _api.Given(Request.Create().WithPath("/broken")).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{not json"));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = ApiUrl + "/broken", saveResponseAs = "response" }, "Success"));

        Assert.Equal("Success", result.Outcome());
        Assert.Equal("{not json", result.Var("response.body")!.GetValue<string>());
    }

    [Fact]
    public async Task Request_HeaderAndTextBodyTemplates_AreFilledIn()
    {
        _api.Given(Request.Create().WithPath("/notes").UsingPut()
                .WithHeader("X-Contact", "42")
                .WithHeader("Content-Type", new WildcardMatcher("text/plain*"))
                .WithBody("Note for Ada"))
            .RespondWith(Response.Create().WithStatusCode(204));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new
        {
            method = "PUT",
            url = ApiUrl + "/notes",
            headers = new Dictionary<string, string> { ["X-Contact"] = "{{contact.id}}" },
            body = "Note for {{name}}",
        }, "Success", "Failure"), new JsonObject { ["contact"] = new JsonObject { ["id"] = "42" }, ["name"] = "Ada" });

        Assert.True(result.Outcome() == "Success", result.Text("call.error"));
    }

    [Fact]
    public async Task Request_FormContentType_SendsObjectAsForm()
    {
        _api.Given(Request.Create().WithPath("/form").UsingPost()
                .WithHeader("Content-Type", new WildcardMatcher("application/x-www-form-urlencoded*"))
                .WithBody("name=Ada+Lovelace&id=7"))
            .RespondWith(Response.Create().WithStatusCode(200));

        var result = await _harness.RunAsync(HttpHarness.OneStep("HttpRequest", new
        {
            method = "POST",
            url = ApiUrl + "/form",
            contentType = "application/x-www-form-urlencoded",
            body = new { name = "{{name}}", id = 7 },
        }, "Success", "Failure"), new JsonObject { ["name"] = "Ada Lovelace" });

        Assert.True(result.Outcome() == "Success", result.Text("call.error"));
    }

    public void Dispose()
    {
        _api.Stop();
        _api.Dispose();
        _harness.Dispose();
    }
}
