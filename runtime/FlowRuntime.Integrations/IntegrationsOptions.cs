using System.ComponentModel.DataAnnotations;

namespace FlowRuntime.Integrations;

/// <summary>OAuth integration settings (<c>FlowRuntime:Integrations</c>); validated at start.</summary>
public sealed class IntegrationsOptions
{
    public const string Section = "FlowRuntime:Integrations";

    /// <summary>Externally visible base URL for callback URLs; defaults to <c>FlowRuntime:PublicBaseUrl</c>, then the request's own base.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Refresh this long before the access token expires (per-integration <c>refreshBufferSeconds</c> overrides it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an authorization request's state is accepted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the background service looks for tokens to refresh; zero disables it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BackgroundRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The background service refreshes tokens expiring within this window.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BackgroundRefreshWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a caller waits for the cluster-wide refresh lock of one integration.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RefreshLockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one outbound attempt (token endpoint or API call).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of transient failures of idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE, TRACE).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>Base delay of the exponential retry back-off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Path of the designer's integrations page, the default success/failure redirect.</summary>
    [Required]
    public string IntegrationsPagePath { get; set; } = "/integrations";
}
