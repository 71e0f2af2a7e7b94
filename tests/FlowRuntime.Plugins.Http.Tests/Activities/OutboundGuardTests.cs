using FlowRuntime.Host.Infrastructure;
using FlowRuntime.Plugins.Http.Internal;
using FlowRuntime.Plugins.Http.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FlowRuntime.Plugins.Http.Tests.Activities;

/// <summary>The host's outbound guard as the steps meet it: refusals are a Failure with a clear reason.</summary>
public sealed class OutboundGuardTests : IDisposable
{
    private readonly WireMockServer _api = WireMockServer.Start();

    public OutboundGuardTests() =>
        _api.Given(Request.Create().WithPath("/ok")).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254 is a link-local / cloud metadata address")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is the AWS IPv6 metadata address")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "100.100.100.200 is the Alibaba Cloud metadata address")]
    [InlineData("http://[::ffff:169.254.169.254]/", "169.254.169.254 is a link-local / cloud metadata address")]
    public async Task Request_MetadataAddress_RefusedByDefault(string url, string why)
    {
        using var harness = new HttpHarness();

        var result = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url, timeoutSeconds = 5 }, "Success", "Failure"));

        Assert.Equal("Failure", result.Outcome());
        Assert.Equal(HttpErrorCodes.AddressNotAllowed, result.Text("call.errorCode"));
        Assert.Equal($"Address not allowed: {why}.", result.Text("call.error"));
    }

    [Fact]
    public async Task Request_Loopback_AllowedByDefault()
    {
        using var harness = new HttpHarness();

        var result = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = $"http://127.0.0.1:{_api.Port}/ok" }, "Success", "Failure"));

        Assert.Equal("Success", result.Outcome());
    }

    [Fact]
    public async Task Request_DenyListedHost_Refused_OtherHostsStillWork()
    {
        using var harness = new HttpHarness(new Dictionary<string, string?> { ["FlowRuntime:Outbound:Deny:0"] = "localhost" });

        var denied = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = $"http://localhost:{_api.Port}/ok" }, "Failure"));
        var allowed = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = $"http://127.0.0.1:{_api.Port}/ok" }, "Success"));

        Assert.Equal(HttpErrorCodes.AddressNotAllowed, denied.Text("call.errorCode"));
        Assert.Equal("Address not allowed: localhost is on the outbound deny list (FlowRuntime:Outbound:Deny).", denied.Text("call.error"));
        Assert.Equal("Success", allowed.Outcome());
        Assert.Single(_api.LogEntries);
    }

    [Fact]
    public async Task Request_DenyListedRange_Refused_AllowEntryWins()
    {
        using var harness = new HttpHarness(new Dictionary<string, string?>
        {
            ["FlowRuntime:Outbound:Deny:0"] = "127.0.0.0/8",
            ["FlowRuntime:Outbound:Allow:0"] = "127.0.0.1",
        });

        var denied = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = $"http://127.0.0.2:{_api.Port}/ok" }, "Failure"));
        var allowed = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = $"http://127.0.0.1:{_api.Port}/ok" }, "Success"));

        Assert.Equal("Address not allowed: 127.0.0.2 is on the outbound deny list (FlowRuntime:Outbound:Deny).", denied.Text("call.error"));
        Assert.Equal("Success", allowed.Outcome());
    }

    [Fact]
    public async Task Request_HostResolvingToDeniedAddress_RefusedOnTheResolvedAddress()
    {
        // The check runs on what the name resolves to at connect time, which is what defeats DNS rebinding.
        using var harness = new HttpHarness(new Dictionary<string, string?> { ["FlowRuntime:Outbound:Deny:0"] = "127.0.0.0/8", ["FlowRuntime:Outbound:Deny:1"] = "::1" });

        var denied = await harness.RunAsync(HttpHarness.OneStep("HttpRequest", new { url = $"http://localhost:{_api.Port}/ok" }, "Failure"));

        Assert.Equal(HttpErrorCodes.AddressNotAllowed, denied.Text("call.errorCode"));
        Assert.StartsWith("Address not allowed: localhost resolves to ", denied.Text("call.error"), StringComparison.Ordinal);
        Assert.Empty(_api.LogEntries);
    }

    [Fact]
    public void Options_BadEntry_FailValidationNamingTheKey()
    {
        using var harness = new HttpHarness(new Dictionary<string, string?>
        {
            ["FlowRuntime:Outbound:Deny:0"] = "10.0.0.0/8",
            ["FlowRuntime:Outbound:Deny:1"] = "10.0.0.0/99",
            ["FlowRuntime:Outbound:Allow:0"] = "not a host!",
        });

        var error = Assert.Throws<OptionsValidationException>(() => harness.Services.GetRequiredService<IOptions<OutboundOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("FlowRuntime:Outbound:Deny:1: '10.0.0.0/99'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("FlowRuntime:Outbound:Allow:0: 'not a host!'", StringComparison.Ordinal));
        Assert.Equal(2, error.Failures.Count());
    }

    public void Dispose()
    {
        _api.Stop();
        _api.Dispose();
    }
}
