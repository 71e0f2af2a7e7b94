using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;

namespace FlowRuntime.Plugins.Sample.Activities;

/// <summary>The smallest useful step: typed inputs, two outcomes, a variable, a reply and an injected service.</summary>
[Activity("SampleGreet", DisplayName = "Greet (sample)", Category = "Sample",
    Description = "Greets someone in the chosen style and stores the greeting in a variable.")]
[Outcomes("Greeted", "Anonymous")]
public sealed class Greet(IGreetingFormatter formatter) : Activity
{
    [Input(Description = "Who to greet, e.g. {{name}}. Empty leaves through Anonymous.")]
    public string? Name { get; set; }

    [Input(Options = ["Casual", "Formal", "Pirate"], DefaultValue = "Casual", Description = "How to say it.")]
    public string Style { get; set; } = "Casual";

    [Input(DisplayName = "Save as", DefaultValue = "greeting", Description = "Variable that receives the greeting.")]
    public string SaveAs { get; set; } = "greeting";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return ValueTask.FromResult(new Outcome("Anonymous"));
        }

        var greeting = formatter.Format(Name.Trim(), Style);
        context.Variables[SaveAs] = JsonValue.Create(greeting);
        context.Reply(greeting);
        return ValueTask.FromResult(new Outcome("Greeted"));
    }
}
