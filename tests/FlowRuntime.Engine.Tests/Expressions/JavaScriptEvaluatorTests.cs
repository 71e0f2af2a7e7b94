using System.Text.Json.Nodes;
using FlowRuntime.Engine.Expressions;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Engine.Tests.Expressions;

public sealed class JavaScriptEvaluatorTests
{
    private static JavaScriptEvaluator Evaluator(ExpressionOptions? options = null) => new(Options.Create(options ?? new ExpressionOptions()));

    private static readonly JsonObject Variables = new() { ["name"] = "Ada", ["age"] = "36", ["contact"] = new JsonObject { ["country"] = "BE" } };

    [Theory]
    [InlineData("name === 'Ada'", true)]
    [InlineData("name === 'Bob'", false)]
    [InlineData("Number(age) > 18", true)]
    [InlineData("contact.country == 'BE' && variables.name.length == 3", true)]
    [InlineData("''", false)]
    [InlineData("[1].length", true)]
    public void EvaluateCondition_UsesVariables(string expression, bool expected) =>
        Assert.Equal(expected, Evaluator().EvaluateCondition(expression, Variables));

    [Fact]
    public void Evaluate_InfiniteLoop_StopsAtLimit()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluator().Evaluate("while (true) {}", []));
        Assert.True(error.Code is "expression_limit" or "expression_timeout", error.Code);
    }

    [Fact]
    public void Evaluate_Timeout_StopsSlowScript()
    {
        var options = new ExpressionOptions { Timeout = TimeSpan.FromMilliseconds(50), MaxStatements = 10_000_000, MaxMemoryBytes = 1_000_000_000 };
        var error = Assert.Throws<ExpressionException>(() => Evaluator(options).Evaluate("let x = 0; while (true) { x++; }", []));
        Assert.Equal("expression_timeout", error.Code);
    }

    [Fact]
    public void Evaluate_DeepRecursion_StopsAtLimit()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluator().Evaluate("function f(n) { return f(n + 1); } f(0)", []));
        Assert.Equal("expression_limit", error.Code);
    }

    [Fact]
    public void Evaluate_MemoryHog_StopsAtLimit()
    {
        var options = new ExpressionOptions { MaxStatements = 10_000_000, Timeout = TimeSpan.FromSeconds(10) };
        var error = Assert.Throws<ExpressionException>(() => Evaluator(options).Evaluate("let a = []; while (true) { a.push('xxxxxxxxxxxxxxxxxxxx' + a.length); }", []));
        Assert.Equal("expression_limit", error.Code);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    public void Evaluate_ClrAccess_IsNotAvailable(string expression)
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluator().Evaluate(expression, []));
        Assert.Equal("expression_failed", error.Code);
    }

    [Fact]
    public void Evaluate_SyntaxError_IsNamed()
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluator().Evaluate("name ===", Variables));
        Assert.Equal("expression_invalid", error.Code);
    }
}
