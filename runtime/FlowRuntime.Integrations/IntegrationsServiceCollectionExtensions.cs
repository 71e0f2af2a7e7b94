using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Authorization;
using FlowRuntime.Integrations.Background;
using FlowRuntime.Integrations.Http;
using FlowRuntime.Integrations.Management;
using FlowRuntime.Integrations.Presets;
using FlowRuntime.Integrations.Storage;
using FlowRuntime.Integrations.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Integrations;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// OAuth integrations: management, authorization flow, token service, <see cref="IIntegrationConnections"/> and
    /// the background refresh. Needs the FlowRuntime DbContext, Data Protection and an <c>IDatabaseLock</c>.
    /// </summary>
    public static IServiceCollection AddFlowRuntimeIntegrations(this IServiceCollection services)
    {
        services.AddOptions<IntegrationsOptions>().BindConfiguration(IntegrationsOptions.Section)
            .PostConfigure<IConfiguration>((o, configuration) =>
                o.PublicBaseUrl = string.IsNullOrWhiteSpace(o.PublicBaseUrl) ? NullIfEmpty(configuration["FlowRuntime:PublicBaseUrl"]) : o.PublicBaseUrl)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProviderCatalog>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<ConnectionLog>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionLog>());
        services.AddSingleton<IntegrationRepository>();
        services.AddSingleton<TokenEndpointClient>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<IssuerDiscovery>();
        services.AddSingleton<AuthorizationFlow>();
        services.AddSingleton<IntegrationManager>();
        services.AddSingleton<IIntegrationConnections, IntegrationConnections>();
        services.AddSingleton<TokenRefreshService>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenRefreshService>());
        services.AddTransient<IntegrationTokenHandler>();

        // Retry + attempt timeout → (token handler) → primary handler. No client logging: token URLs may carry secrets in the query.
        services.AddHttpClient(IntegrationConnections.PlainClient).RemoveAllLoggers()
            .AddHttpMessageHandler(sp => CreateRetryHandler(sp, retry: true));
        services.AddHttpClient(IntegrationConnections.AuthorizedClient).RemoveAllLoggers()
            .AddHttpMessageHandler(sp => CreateRetryHandler(sp, retry: true))
            .AddHttpMessageHandler<IntegrationTokenHandler>();
        // Token requests are POSTs: never retried (a code is single-use, a rotated refresh token would be burnt).
        // Timeout only, also for the GETs of issuer discovery.
        services.AddHttpClient(TokenEndpointClient.ClientName).RemoveAllLoggers()
            .AddHttpMessageHandler(sp => CreateRetryHandler(sp, retry: false));
        return services;
    }

    private static OutboundRetryHandler CreateRetryHandler(IServiceProvider services, bool retry)
    {
        var options = services.GetRequiredService<IOptions<IntegrationsOptions>>().Value;
        return new OutboundRetryHandler(retry ? options.MaxRetries : 0, options.RetryDelay, options.AttemptTimeout, services.GetRequiredService<TimeProvider>());
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
