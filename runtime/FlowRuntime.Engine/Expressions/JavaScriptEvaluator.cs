using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Engine.Expressions;

/// <summary>
/// Evaluates JavaScript expressions with Jint inside a sandbox: time, statement, memory and recursion
/// limits, strict mode and no CLR access. Scripts are parsed once and cached by source text.
/// </summary>
public sealed class JavaScriptEvaluator(IOptions<ExpressionOptions> options)
{
    private readonly ExpressionOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Prepared<Script>> _scripts = new(StringComparer.Ordinal);

    /// <summary>Evaluates <paramref name="expression"/> with every variable as a global (and all of them as <c>variables</c>).</summary>
    public JsonNode? Evaluate(string expression, JsonObject variables)
    {
        var script = Prepare(expression);
        var engine = CreateEngine();
        try
        {
            var parser = new JsonParser(engine);
            var all = parser.Parse(variables.ToJsonString());
            engine.SetValue("variables", all);
            foreach (var (name, _) in variables)
            {
                if (IsIdentifier(name))
                {
                    engine.SetValue(name, all.AsObject().Get(name));
                }
            }

            return ToNode(engine, engine.Evaluate(script));
        }
        catch (TimeoutException)
        {
            throw new ExpressionException("expression_timeout", $"The expression ran longer than {_options.Timeout.TotalMilliseconds} ms.");
        }
        catch (StatementsCountOverflowException)
        {
            throw new ExpressionException("expression_limit", $"The expression ran more than {_options.MaxStatements} statements.");
        }
        catch (MemoryLimitExceededException)
        {
            throw new ExpressionException("expression_limit", "The expression used more memory than allowed.");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new ExpressionException("expression_limit", "The expression recursed too deeply.");
        }
        catch (JavaScriptException e)
        {
            throw new ExpressionException("expression_failed", "The expression threw: " + e.Message);
        }
    }

    /// <summary>JavaScript truthiness of the expression's value.</summary>
    public bool EvaluateCondition(string expression, JsonObject variables)
    {
        var value = Evaluate(expression, variables);
        return value switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
            _ => true,
        };
    }

    private Prepared<Script> Prepare(string expression)
    {
        if (_scripts.TryGetValue(expression, out var cached))
        {
            return cached;
        }

        try
        {
            var prepared = Jint.Engine.PrepareScript(expression, options: new ScriptPreparationOptions { ParsingOptions = new ScriptParsingOptions { Tolerant = false } });
            // Bounded: expressions come from flow definitions, not from messages.
            if (_scripts.Count < 10_000)
            {
                _scripts[expression] = prepared;
            }

            return prepared;
        }
        catch (ScriptPreparationException e)
        {
            throw new ExpressionException("expression_invalid", "The expression is not valid JavaScript: " + (e.InnerException as ParseErrorException)?.Description);
        }
        catch (ParseErrorException e)
        {
            throw new ExpressionException("expression_invalid", "The expression is not valid JavaScript: " + e.Description);
        }
    }

    private Jint.Engine CreateEngine() => new(o =>
    {
        o.TimeoutInterval(_options.Timeout);
        o.MaxStatements(_options.MaxStatements);
        o.LimitMemory(_options.MaxMemoryBytes);
        o.LimitRecursion(_options.MaxRecursionDepth);
        o.Strict();
        // No AllowClr(): scripts cannot reach .NET types.
    });

    private static JsonNode? ToNode(Jint.Engine engine, JsValue value)
    {
        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }

        if (value.IsBoolean())
        {
            return JsonValue.Create(value.AsBoolean());
        }

        if (value.IsNumber())
        {
            return JsonValue.Create(value.AsNumber());
        }

        if (value.IsString())
        {
            return JsonValue.Create(value.AsString());
        }

        var json = new JsonSerializer(engine).Serialize(value).ToString();
        return json == "undefined" ? null : JsonNode.Parse(json);
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');
}

/// <summary>An expression failed to parse, threw, or hit a sandbox limit.</summary>
public sealed class ExpressionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
