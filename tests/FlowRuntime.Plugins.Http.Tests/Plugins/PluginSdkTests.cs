using System.Net;
using System.Text.Json.Nodes;
using FlowRuntime.Plugins.Http.Tests.Infrastructure;

namespace FlowRuntime.Plugins.Http.Tests.Plugins;

/// <summary>The sample third-party plugin, dropped into a plugins folder, as a newcomer would deploy it.</summary>
public sealed class PluginSdkTests : IDisposable
{
    private const string GreetFlow = """
        {"id":"greet","name":"Greet","trigger":{"type":"conversation","channel":"greet"},"start":"greet",
         "activities":[
           {"id":"greet","type":"SampleGreet","inputs":{"name":"{{message}}","style":"Pirate"}},
           {"id":"after","type":"SendMessage","inputs":{"text":"Saved: {{greeting}}"}}],
         "connections":[{"source":"greet","outcome":"Greeted","target":"after"}]}
        """;

    private const string FailFlow = """
        {"id":"fail","name":"Fail","trigger":{"type":"conversation","channel":"fail"},"start":"boom",
         "activities":[{"id":"boom","type":"SampleFailOnPurpose","inputs":{}}],
         "connections":[]}
        """;

    private readonly HostFactory _host;

    public PluginSdkTests()
    {
        // The folder-per-plugin layout: plugins/<Name>/<Name>.dll (+ its deps.json and dependencies).
        var plugins = Directory.CreateTempSubdirectory("flowruntime-plugins-").FullName;
        var target = Directory.CreateDirectory(Path.Combine(plugins, "FlowRuntime.Plugins.Sample")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sample-plugin")))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        _host = new HostFactory(new Dictionary<string, string?> { ["FlowRuntime:PluginsPath"] = plugins });
    }

    [Fact]
    public async Task Activities_SamplePluginInFolder_ListedWithInputsOutcomesAndHelp()
    {
        var activities = (await (await _host.CreateManagementClient().GetAsync("/api/activities")).ReadJsonAsync()).AsArray();

        var greet = activities.Single(a => a!["type"]!.GetValue<string>() == "SampleGreet")!;
        Assert.Equal("Greet (sample)", greet["displayName"]!.GetValue<string>());
        Assert.Equal("Sample", greet["category"]!.GetValue<string>());
        Assert.Equal("Greets someone in the chosen style and stores the greeting in a variable.", greet["description"]!.GetValue<string>());
        Assert.Equal("FlowRuntime.Plugins.Sample", greet["source"]!.GetValue<string>());
        Assert.Equal(["Greeted", "Anonymous"], greet["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        var style = greet["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "style")!;
        Assert.Equal("dropdown", style["uiHint"]!.GetValue<string>());
        Assert.Equal(["Casual", "Formal", "Pirate"], style["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("How to say it.", style["description"]!.GetValue<string>());
        Assert.Contains(activities, a => a!["type"]!.GetValue<string>() == "SampleFailOnPurpose");
    }

    [Fact]
    public async Task Activities_HttpSteps_DescribeIntegrationAndMappingsInputs()
    {
        var activities = (await (await _host.CreateManagementClient().GetAsync("/api/activities")).ReadJsonAsync()).AsArray();

        var fetch = activities.Single(a => a!["type"]!.GetValue<string>() == "FetchVariables")!;
        var inputs = fetch["inputs"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!);
        Assert.Equal(["integration", "method", "url", "headers", "body", "mappings"], inputs.Keys);
        Assert.Equal("integration", inputs["integration"]["uiHint"]!.GetValue<string>());
        Assert.Equal("mappings", inputs["mappings"]["uiHint"]!.GetValue<string>());
        Assert.Equal(["Success", "Failure"], fetch["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        var request = activities.Single(a => a!["type"]!.GetValue<string>() == "HttpRequest")!;
        Assert.Contains("Timeout", request["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains("404", request["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public async Task Run_SamplePluginStep_UsesServiceRegisteredByPluginHook()
    {
        var client = _host.CreateManagementClient();
        await client.CreateFlowAsync(GreetFlow);

        var response = await client.PostJsonAsync("/api/flows/greet/run", """{"text":"Ada"}""");
        var run = await response.ReadJsonAsync();

        Assert.True(response.IsSuccessStatusCode, run.ToJsonString());
        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Equal(["Ahoy, Ada!", "Saved: Ahoy, Ada!"], run.Replies());
    }

    [Fact]
    public async Task Run_PluginStepThrows_StepFaultsWithClearError_HostKeepsServing()
    {
        var client = _host.CreateManagementClient();
        await client.CreateFlowAsync(FailFlow);
        await client.CreateFlowAsync(GreetFlow);

        var failed = await client.SendMessageAsync("fail", "c-1", "hi");
        var health = await client.GetAsync("/health");
        var after = await client.SendMessageAsync("greet", "c-2", "Grace");

        Assert.Equal("faulted", failed["status"]!.GetValue<string>());
        Assert.Equal("activity_failed", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal("boom (SampleFailOnPurpose) failed with InvalidOperationException: the sample plugin failed on purpose",
            failed["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("completed", after["status"]!.GetValue<string>());
        Assert.Equal(["Ahoy, Grace!", "Saved: Ahoy, Grace!"], after.Replies());
    }

    public void Dispose() => _host.Dispose();
}
