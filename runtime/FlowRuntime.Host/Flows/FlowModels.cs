using FlowRuntime.Engine.Definitions;

namespace FlowRuntime.Host.Flows;

public sealed record FlowSummary(string Id, string Name, int? PublishedVersion, DateTime UpdatedAt);

/// <summary>A flow with its draft; <see cref="Errors"/> lists what must be fixed before it can be published.</summary>
public sealed record FlowDetails(string Id, string Name, int? PublishedVersion, DateTime UpdatedAt, FlowDefinition Definition, IReadOnlyList<FlowValidationError> Errors);

public sealed record FlowVersionSummary(int Version, DateTime PublishedAt);

public sealed record PublishResult(int Version);

/// <summary>Body of <c>POST /api/flows/{id}/run</c>: start the draft, or continue a test conversation.</summary>
public sealed record RunRequest(string? ConversationId, string? Text, Dictionary<string, System.Text.Json.Nodes.JsonNode?>? Variables);
