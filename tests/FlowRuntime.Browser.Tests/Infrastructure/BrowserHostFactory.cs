using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FlowRuntime.Browser.Tests.Infrastructure;

/// <summary>
/// The real host in-process, served by Kestrel on 127.0.0.1 (TestServer is not reachable by a browser),
/// on a fresh SQLite file in a temp folder, without sample flows.
/// </summary>
public sealed class BrowserHostFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "browser-test-management-key-0123456789";

    public BrowserHostFactory()
    {
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        DataPath = Directory.CreateTempSubdirectory("flowruntime-browser-").FullName;
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string DataPath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FlowRuntime:ApiKey", ApiKey);
        builder.UseSetting("FlowRuntime:DataPath", DataPath);
        builder.UseSetting("FlowRuntime:SampleFlowsPath", "");
        builder.UseSetting("FlowRuntime:PublicBaseUrl", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>An HttpClient to the Kestrel address that sends the management key.</summary>
    public HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the temp folder is cleaned up by the OS.
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
