using System.Text.Json;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Host.Flows;
using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>Imports the sample flows from <c>flows/</c> on start, once: a flow that exists is left as the user changed it.</summary>
internal static class SampleFlowImporter
{
    public static async Task ImportSampleFlowsAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<FlowRuntimeOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.SampleFlowsPath))
        {
            return;
        }

        var folder = Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, options.SampleFlowsPath));
        if (!Directory.Exists(folder))
        {
            return;
        }

        // Hosts of one cluster start together: one imports, the others then find the flows and skip them.
        await using var importLock = await app.Services.GetRequiredService<IDatabaseLock>().TryAcquireAsync("startup:sample-flows", TimeSpan.FromMinutes(1), default);
        await using var scope = app.Services.CreateAsyncScope();
        var flows = scope.ServiceProvider.GetRequiredService<FlowService>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Order())
        {
            try
            {
                var definition = FlowJson.Deserialize(await File.ReadAllTextAsync(file));
                if (definition.Id is { Length: > 0 } id && await flows.GetAsync(id, default) is null)
                {
                    await flows.CreateAsync(definition, default);
                    app.Logger.LogInformation("Imported sample flow {FlowId} from {File}", id, Path.GetFileName(file));
                }
            }
            catch (JsonException e)
            {
                app.Logger.LogWarning("Skipped sample flow {File}: {Error}", Path.GetFileName(file), e.Message);
            }
        }
    }
}
