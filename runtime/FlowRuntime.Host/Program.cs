using FlowRuntime.Host.Apis;
using FlowRuntime.Host.Infrastructure;
using FlowRuntime.Host.Security;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddFlowRuntime();

var app = builder.Build();
if (args is [DatabaseSetup.MigrateCommand, ..])
{
    await app.MigrateDatabaseAsync();
    return;
}

app.UseFlowRuntimeExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapHealthChecks("/health");
app.MapOpenApi();
app.MapScalarApiReference("/api/docs");
app.MapChannelMessages();
app.MapOAuthCallback();

var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();
api.MapActivitiesApi();
api.MapFlowsApi();
api.MapChannelsApi();
api.MapDiagnosticsApi();
api.MapIntegrationsApi();

// The designer is a single-page app: unknown non-API paths serve its index.html; unknown API paths
// answer 404 problem details (not the page, which a client would try to read as JSON).
app.MapFallback("/api/{**path}", (HttpRequest request) =>
    Problems.Create(StatusCodes.Status404NotFound, "not_found", "Not found", $"There is no API endpoint {request.Method} {request.Path}."));
app.MapFallbackToFile("index.html");

await app.MigrateOnStartAsync();
await app.ImportSampleFlowsAsync();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
await app.RunAsync();

public partial class Program;
