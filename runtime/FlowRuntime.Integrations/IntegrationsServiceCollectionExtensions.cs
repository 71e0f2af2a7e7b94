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
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

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

        // Resilience → (token handler) → primary handler. No client logging: token URLs may carry secrets in the query.
        services.AddHttpClient(IntegrationConnections.PlainClient).RemoveAllLoggers()
            .AddResilienceHandler("integrations-outbound", ConfigureOutbound);
        var authorized = services.AddHttpClient(IntegrationConnections.AuthorizedClient).RemoveAllLoggers();
        authorized.AddResilienceHandler("integrations-authorized", ConfigureOutbound);
        authorized.AddHttpMessageHandler<IntegrationTokenHandler>();
        // Token requests are POSTs: never retried (a code is single-use, a rotated refresh token would be burnt).
        services.AddHttpClient(TokenEndpointClient.ClientName).RemoveAllLoggers()
            .AddResilienceHandler("integrations-token", (builder, context) =>
                builder.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<IntegrationsOptions>>().Value.AttemptTimeout));
        return services;
    }

    private static void ConfigureOutbound(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<IntegrationsOptions>>().Value;
        if (options.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            };
            // Only idempotent methods (RFC 9110 §9.2.2) are retried: GET, HEAD, OPTIONS, PUT, DELETE.
            retry.DisableFor(HttpMethod.Post, HttpMethod.Patch, HttpMethod.Connect);
            builder.AddRetry(retry);
        }

        builder.AddTimeout(options.AttemptTimeout);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
