using System.ComponentModel.DataAnnotations;

namespace FlowRuntime.Host;

/// <summary>Host settings (<c>FlowRuntime</c> section); validated at start.</summary>
public sealed class FlowRuntimeOptions
{
    public const string Section = "FlowRuntime";

    /// <summary>Management API key (<c>X-Api-Key</c>). When empty, one is generated into <see cref="DataPath"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The externally visible base URL, used to build OAuth callback URLs (reverse proxies, custom domains).</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Folder scanned for third-party plugin assemblies.</summary>
    public string PluginsPath { get; set; } = "plugins";

    /// <summary>Folder for the SQLite file and the generated API key (relative to the content root).</summary>
    [Required]
    public string DataPath { get; set; } = ".data";

    /// <summary>Folder of sample flows imported at start when missing; empty disables the import.</summary>
    public string? SampleFlowsPath { get; set; } = "../../flows";

    /// <summary>Database provider: Sqlite (default), PostgreSql or SqlServer.</summary>
    [Required]
    public string DatabaseProvider { get; set; } = "Sqlite";

    /// <summary>
    /// Create or upgrade the schema at start. Unset means yes for the embedded SQLite database and no for shared
    /// ones, which are migrated once by the <c>migrate</c> command before the hosts start.
    /// </summary>
    public bool? MigrateOnStart { get; set; }

    /// <summary>How long a host trusts its cached channel → published flow lookup and channel secret (other hosts may publish or rotate).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ChannelCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
