using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;

namespace FlowRuntime.Plugins.Conversation.Activities;

[Activity("AskQuestion", DisplayName = "Ask Question", Category = "Conversation",
    Description = "Sends a question, waits for the next message and stores its text in a variable.")]
public sealed class AskQuestion : Activity
{
    [Input(Description = "The question to send.", UIHint = UIHints.MultiLine, Required = true)]
    public string Text { get; set; } = "";

    [Input(Description = "The variable that receives the answer, e.g. name.", Required = true)]
    public string Variable { get; set; } = "";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        context.Reply(Text);
        return ValueTask.FromResult(context.Suspend());
    }

    public override ValueTask<Outcome> ResumeAsync(ActivityContext context, string message)
    {
        context.Variables[Variable] = JsonValue.Create(message);
        return ValueTask.FromResult(Outcome.Done);
    }
}
