using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;

namespace FlowRuntime.Plugins.Control.Activities;

[Activity("SetVariable", DisplayName = "Set Variable", Category = "Control",
    Description = "Stores a value (templates allowed, e.g. {{contact.name}}) in a flow variable.")]
public sealed class SetVariable : Activity
{
    [Input(Description = "Variable name.", Required = true)]
    public string Name { get; set; } = "";

    [Input(Description = "The value; {{variable}} placeholders are filled in.")]
    public string Value { get; set; } = "";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        context.Variables[Name] = JsonValue.Create(Value);
        return ValueTask.FromResult(Outcome.Done);
    }
}
