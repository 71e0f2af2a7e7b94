namespace FlowRuntime.Persistence.Entities;

/// <summary>An OAuth integration: provider configuration (non-secret JSON) plus encrypted client secret and status.</summary>
public sealed class IntegrationEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary><c>authorization_code</c> or <c>client_credentials</c>.</summary>
    public required string GrantType { get; set; }

    /// <summary>incomplete, authorized, error, needs_reauthorization, disconnected.</summary>
    public required string Status { get; set; }

    /// <summary>green, yellow, red.</summary>
    public required string Health { get; set; }

    /// <summary>The provider configuration as JSON (no secrets).</summary>
    public required string ConfigJson { get; set; }

    /// <summary>The client secret, protected with ASP.NET Core Data Protection.</summary>
    public string? ProtectedClientSecret { get; set; }

    /// <summary>Integration variables of a templated definition (e.g. CLIENT_SECRET), protected as one JSON object.</summary>
    public string? ProtectedVariables { get; set; }

    /// <summary>The last error shown to admins; never contains a secret or token.</summary>
    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}
