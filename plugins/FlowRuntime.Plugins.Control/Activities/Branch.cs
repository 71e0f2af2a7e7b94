using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Expressions;

namespace FlowRuntime.Plugins.Control.Activities;

[Activity("Branch", Category = "Control",
    Description = "Evaluates a JavaScript condition over the flow variables, e.g. name === 'Ada' or contact.country == 'BE'.")]
[Outcomes(OutcomeNames.True, OutcomeNames.False)]
public sealed class Branch(JavaScriptEvaluator evaluator) : Activity
{
    [Input(Description = "A JavaScript expression; every variable is a global.", UIHint = UIHints.Code, Required = true)]
    public string Condition { get; set; } = "";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        var variables = new JsonObject();
        foreach (var name in context.Variables.Names)
        {
            variables[name] = context.Variables[name]?.DeepClone();
        }

        var result = evaluator.EvaluateCondition(Condition, variables);
        return ValueTask.FromResult(new Outcome(result ? OutcomeNames.True : OutcomeNames.False));
    }
}
