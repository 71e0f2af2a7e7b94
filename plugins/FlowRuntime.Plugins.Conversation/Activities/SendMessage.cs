using FlowRuntime.Abstractions;

namespace FlowRuntime.Plugins.Conversation.Activities;

[Activity("SendMessage", DisplayName = "Send Message", Category = "Conversation",
    Description = "Sends a message to the conversation. Use {{variable}} to insert values.")]
public sealed class SendMessage : Activity
{
    [Input(Description = "The message text.", UIHint = UIHints.MultiLine, Required = true)]
    public string Text { get; set; } = "";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        context.Reply(Text);
        return ValueTask.FromResult(Outcome.Done);
    }
}
