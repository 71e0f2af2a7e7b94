using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;

namespace FlowRuntime.Plugins.Http.Internal;

/// <summary>
/// Each HTTP step writes what happened to the variable named after its activity id, so a flow reads
/// <c>{{ fetch.error }}</c>, <c>{{ fetch.errorCode }}</c> and <c>{{ fetch.status }}</c> without configuring anything.
/// </summary>
internal static class StepResult
{
    public static void Write(ActivityContext context, int? status, HttpCallError? error)
    {
        var result = new JsonObject { ["status"] = status };
        if (error is not null)
        {
            result["error"] = error.Message;
            result["errorCode"] = error.Code;
            context.Log($"{error.Code}: {error.Message}");
        }

        context.Variables[context.ActivityId] = result;
    }

    public static Outcome Failure(ActivityContext context, int? status, HttpCallError error)
    {
        Write(context, status, error);
        return new Outcome(OutcomeNames.Failure);
    }
}
