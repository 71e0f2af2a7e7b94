using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>RFC 7807 problem details with a stable snake_case <c>code</c> extension.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null, object? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "https://flowruntime.dev/errors/" + code };
        problem.Extensions["code"] = code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult NotFound(string what, string id) =>
        Create(StatusCodes.Status404NotFound, "not_found", $"{what} not found", $"There is no {what.ToLowerInvariant()} '{id}'.");

    public static ProblemHttpResult Validation(string code, string detail, object? errors = null) =>
        Create(StatusCodes.Status400BadRequest, code, "The request is not valid", detail, errors);
}
