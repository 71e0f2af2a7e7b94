using System.Text.Json;

namespace FlowRuntime.Integrations.Presets;

/// <summary>The provider presets (<c>Presets/providers.json</c>, embedded): adding a provider is adding data.</summary>
internal sealed class ProviderCatalog
{
    private readonly Dictionary<string, ProviderPreset> _byKey;

    public ProviderCatalog()
    {
        using var stream = typeof(ProviderCatalog).Assembly.GetManifestResourceStream("FlowRuntime.Integrations.providers.json")
            ?? throw new InvalidOperationException("The embedded provider catalogue is missing.");
        var file = JsonSerializer.Deserialize<CatalogFile>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("The embedded provider catalogue is empty.");
        All = file.Providers;
        _byKey = file.Providers.ToDictionary(p => p.Key, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ProviderPreset> All { get; }

    public ProviderPreset? Find(string key) => _byKey.GetValueOrDefault(key);

    private sealed record CatalogFile(IReadOnlyList<ProviderPreset> Providers);
}
