using FlowRuntime.Plugins.Http.Tests.Infrastructure;

namespace FlowRuntime.Plugins.Http.Tests.Flows;

/// <summary>The files under flows/ import and publish on a fresh host, with no integration set up yet.</summary>
public sealed class SampleFlowFilesTests : IDisposable
{
    private readonly HostFactory _host = new(new Dictionary<string, string?>
    {
        ["FlowRuntime:SampleFlowsPath"] = Path.Combine(HostFactory.RepositoryRoot(), "flows"),
    });

    [Fact]
    public async Task SampleFlows_ImportedAndPublishable()
    {
        var client = _host.CreateManagementClient();

        var flows = (await (await client.GetAsync("/api/flows")).ReadJsonAsync()).AsArray().Select(f => f!["id"]!.GetValue<string>()).ToList();

        Assert.Contains("hello-name", flows);
        Assert.Contains("teamleader-last-name", flows);
        Assert.Contains("zoho-contact-last-name", flows);
        foreach (var id in new[] { "hello-name", "teamleader-last-name", "zoho-contact-last-name" })
        {
            var published = await client.PostAsync($"/api/flows/{id}/publish", null);
            Assert.True(published.IsSuccessStatusCode, id + ": " + await published.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task HelloName_StillGreets()
    {
        var client = _host.CreateManagementClient();
        await client.PostAsync("/api/flows/hello-name/publish", null);

        await client.SendMessageAsync("web", "c-1", "hi");
        var reply = await client.SendMessageAsync("web", "c-1", "Ada");

        Assert.Equal(["Hello Ada"], reply.Replies());
    }

    [Fact]
    public async Task Teamleader_IntegrationNotSetUp_RepliesWithReadableReason()
    {
        var client = _host.CreateManagementClient();
        await client.PostAsync("/api/flows/teamleader-last-name/publish", null);

        var question = await client.SendMessageAsync("teamleader", "c-1", "hi");
        var reply = await client.SendMessageAsync("teamleader", "c-1", "contact-1");

        Assert.Equal(["Which Teamleader contact id should I look up?"], question.Replies());
        Assert.Equal("completed", reply["status"]!.GetValue<string>());
        var text = Assert.Single(reply.Replies());
        Assert.StartsWith("Sorry, I could not look that up: Authorization needed", text, StringComparison.Ordinal);
        Assert.Contains("'teamleader'", text, StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();
}
