using System.Net;
using FlowRuntime.Api.Tests.Flows;
using FlowRuntime.Api.Tests.Infrastructure;

namespace FlowRuntime.Api.Tests.Conversations;

public sealed class ConversationTests
{
    [Fact]
    public async Task Conversation_AskName_AnswerArrivesAfterRestart_FlowFinishes()
    {
        var dataPath = FlowRuntimeFactory.NewDataPath();
        using (var before = new FlowRuntimeFactory(dataPath))
        {
            var client = before.CreateManagementClient();
            await client.PublishFlowAsync(SampleFlows.AskName);
            var question = await client.SendMessageAsync("web", "conv-1", "hi", new { id = "42" });
            Assert.Equal(["What is your name?"], question["replies"]!.AsArray().Select(r => r!.GetValue<string>()));
            Assert.Equal("suspended", question["status"]!.GetValue<string>());
        }

        using var after = new FlowRuntimeFactory(dataPath);
        var reply = await after.CreateManagementClient().SendMessageAsync("web", "conv-1", "Ada");

        Assert.Equal("completed", reply["status"]!.GetValue<string>());
        Assert.Equal(["Hello Ada (contact 42)"], reply["replies"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Conversations_AreIndependent()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        var client = factory.CreateManagementClient();
        await client.PublishFlowAsync(SampleFlows.AskName);

        await client.SendMessageAsync("web", "a", "hi", new { id = "1" });
        await client.SendMessageAsync("web", "b", "hi", new { id = "2" });
        var b = await client.SendMessageAsync("web", "b", "Bob");
        var a = await client.SendMessageAsync("web", "a", "Ada");

        Assert.Equal("Hello Ada (contact 1)", a["replies"]![0]!.GetValue<string>());
        Assert.Equal("Hello Bob (contact 2)", b["replies"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Message_ConcurrentInSameConversation_ResumesOnceAndStartsOnce()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        var client = factory.CreateManagementClient();
        await client.PublishFlowAsync(SampleFlows.AskName);
        await client.SendMessageAsync("web", "race", "hi", new { id = "1" });

        // Two answers at once: one resumes the waiting instance, the other waits and starts a new conversation run.
        var replies = await Task.WhenAll(client.SendMessageAsync("web", "race", "Ada"), client.SendMessageAsync("web", "race", "Bob"));

        var all = replies.SelectMany(r => r["replies"]!.AsArray().Select(x => x!.GetValue<string>())).ToList();
        Assert.Single(all, r => r.StartsWith("Hello ", StringComparison.Ordinal));
        Assert.Single(all, r => r == "What is your name?");
    }

    [Fact]
    public async Task Channel_WithSecret_IsAccepted_WithoutIsRejected()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        var admin = factory.CreateManagementClient();
        await admin.PublishFlowAsync(SampleFlows.AskName);
        var channel = await (await admin.PostJsonAsync("/api/channels", new { name = "web" })).ReadJsonAsync();
        var secret = channel["secret"]!.GetValue<string>();

        var widget = factory.CreateClient();
        var anonymous = await widget.PostJsonAsync("/api/channels/web/messages", new { conversationId = "x", text = "hi" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        widget.DefaultRequestHeaders.Add("X-Channel-Secret", secret);
        var accepted = await widget.PostJsonAsync("/api/channels/web/messages", new { conversationId = "x", text = "hi" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var other = await widget.PostJsonAsync("/api/channels/sms/messages", new { conversationId = "x", text = "hi" });
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);

        var listed = await (await admin.GetAsync("/api/channels")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listed);
    }

    [Fact]
    public async Task Channel_SecretRotatedOrDeleted_OldSecretRejectedAtOnce()
    {
        // Secrets are cached for the message path; a rotation or delete on this host must not wait for the cache.
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        var admin = factory.CreateManagementClient();
        await admin.PublishFlowAsync(SampleFlows.AskName);
        var first = (await (await admin.PostJsonAsync("/api/channels", new { name = "web" })).ReadJsonAsync())["secret"]!.GetValue<string>();
        var widget = factory.CreateClient();
        widget.DefaultRequestHeaders.Add("X-Channel-Secret", first);
        Assert.Equal(HttpStatusCode.OK, (await widget.PostJsonAsync("/api/channels/web/messages", new { conversationId = "a", text = "hi" })).StatusCode);

        var second = (await (await admin.PostJsonAsync("/api/channels", new { name = "web" })).ReadJsonAsync())["secret"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await widget.PostJsonAsync("/api/channels/web/messages", new { conversationId = "b", text = "hi" })).StatusCode);
        var rotated = factory.CreateClient();
        rotated.DefaultRequestHeaders.Add("X-Channel-Secret", second);
        Assert.Equal(HttpStatusCode.OK, (await rotated.PostJsonAsync("/api/channels/web/messages", new { conversationId = "c", text = "hi" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/channels/web")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await rotated.PostJsonAsync("/api/channels/web/messages", new { conversationId = "d", text = "hi" })).StatusCode);
    }

    [Fact]
    public async Task Message_NoPublishedFlow_Returns404Problem()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());

        var response = await factory.CreateManagementClient().PostJsonAsync("/api/channels/web/messages", new { conversationId = "x", text = "hi" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no_published_flow", (await response.ReadJsonAsync())["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Message_WithoutConversationId_Returns400()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());

        var response = await factory.CreateManagementClient().PostJsonAsync("/api/channels/web/messages", new { text = "hi" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_message", (await response.ReadJsonAsync())["code"]!.GetValue<string>());
    }
}
