using FlowRuntime.Integrations.Background;
using FlowRuntime.Integrations.Tests.Infrastructure;
using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Integrations.Tests.Tokens;

/// <summary>The hosted background refresh: runs on its timer, and only where it holds the cluster lease.</summary>
public sealed class BackgroundRefreshTests : IDisposable
{
    private const string Initial = """{"access_token":"B1","refresh_token":"BR1","expires_in":3600}""";

    private readonly ProviderFixture _fixture = new(LogLevel.Warning, new Dictionary<string, string?>
    {
        ["FlowRuntime:Integrations:BackgroundRefreshInterval"] = "00:01:00",
    });

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task HostedService_TimerTicks_RefreshesTokensCloseToExpiry()
    {
        var provider = _fixture.NewProvider().Token("authorization_code", 200, Initial)
            .Token("refresh_token=BR1", 200, """{"access_token":"B2","refresh_token":"BR2","expires_in":3600}""");
        await provider.CreateAuthorizedAsync();

        _fixture.Host.Time.Advance(TimeSpan.FromMinutes(52));
        for (var i = 0; i < 100 && provider.Requests("token", "refresh_token=BR1") == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, provider.Requests("token", "refresh_token=BR1"));
    }

    [Fact]
    public async Task RunOnce_LeaseHeldElsewhere_DoesNothing()
    {
        var provider = _fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=BR1", 200, Initial);
        await provider.CreateAuthorizedAsync();
        var service = _fixture.Host.Services.GetRequiredService<TokenRefreshService>();

        await using (var lease = await _fixture.Host.Services.GetRequiredService<IDatabaseLock>().TryAcquireAsync(TokenRefreshService.LockName, TimeSpan.Zero, default))
        {
            Assert.NotNull(lease);
            Assert.Equal(0, await service.RunOnceAsync(default));
        }

        Assert.Equal(0, provider.Requests("token", "grant_type=refresh_token"));
    }
}
