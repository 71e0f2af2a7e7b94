using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Security;

/// <summary>Management API access: the <c>X-Api-Key</c> header must match the configured key.</summary>
internal sealed class ApiKeyFilter(IOptions<FlowRuntimeOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.Value.ApiKey ?? throw new InvalidOperationException("FlowRuntime:ApiKey is not set."));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsManagementKey(context.HttpContext.Request)
            ? next(context)
            : ValueTask.FromResult<object?>(Unauthorized());

    public bool IsManagementKey(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var given) && Matches(given.ToString());

    private bool Matches(string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _expected);

    public static IResult Unauthorized() => Infrastructure.Problems.Create(StatusCodes.Status401Unauthorized, "unauthorized",
        "Unauthorized", "Send the management API key in the X-Api-Key header.");
}
