using FlowRuntime.Host.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Infrastructure;

internal static class StartupBanner
{
    /// <summary>Where to go and where the key is: never the key itself (logs are not a place for secrets).</summary>
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var options = app.Services.GetRequiredService<IOptions<FlowRuntimeOptions>>().Value;
        var configured = !string.IsNullOrWhiteSpace(app.Configuration[$"{FlowRuntimeOptions.Section}:ApiKey"]);
        var keyFile = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, options.DataPath, LocalApiKey.FileName));
        foreach (var address in addresses)
        {
            app.Logger.LogInformation("FlowRuntime is running: designer {Url}/  API reference {Url}/api/docs", address, address);
        }

        app.Logger.LogInformation(configured
            ? "Management API key: the configured FlowRuntime:ApiKey"
            : "Management API key: in {KeyFile} (send it as X-Api-Key; paste it into the designer's sign-in)", keyFile);
    }
}
