using System.Net;
using System.Net.Sockets;
using FlowRuntime.Abstractions.Integrations;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>
/// Outbound safety for every <see cref="IHttpClientFactory"/> client (<c>FlowRuntime:Outbound</c>). Flow designers
/// choose URLs, so without a guard a flow could read the cloud metadata service (instance credentials) or other
/// link-local endpoints. Entries are IP addresses, CIDR ranges (<c>10.0.0.0/8</c>), host names, or <c>*.suffix</c>.
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "FlowRuntime:Outbound";

    /// <summary>Refused in addition to the built-in link-local / metadata ranges, e.g. <c>10.0.0.0/8</c> or <c>*.internal</c>.</summary>
    public List<string> Deny { get; set; } = [];

    /// <summary>Exceptions that win over every deny entry (built-in ones too), e.g. a link-local appliance.</summary>
    public List<string> Allow { get; set; } = [];
}

internal static class OutboundHttp
{
    public static IServiceCollection AddOutboundHttp(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>();
        services.AddSingleton<OutboundAddressGuard>();
        // Every factory client gets the guarded primary handler. A client that replaces its primary handler loses
        // the guard, so modules add DelegatingHandlers instead of swapping the primary one.
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundAddressGuard>().CreateHandler()));
        return services;
    }
}

/// <summary>
/// Decides at connect time, on the resolved addresses, whether a destination may be reached. Checking the IP the
/// socket actually connects to (not the one a pre-flight lookup saw) is what defeats DNS rebinding.
/// </summary>
internal sealed class OutboundAddressGuard
{
    /// <summary>Link-local (AWS, GCP, Azure metadata at 169.254.169.254), AWS IPv6 metadata, Alibaba Cloud metadata.</summary>
    internal static readonly IReadOnlyList<(string Entry, string Why)> BuiltInDeny =
    [
        ("169.254.0.0/16", "a link-local / cloud metadata address"),
        ("fe80::/10", "a link-local address"),
        ("fd00:ec2::254/128", "the AWS IPv6 metadata address"),
        ("100.100.100.200/32", "the Alibaba Cloud metadata address"),
    ];

    private readonly OutboundRules _deny;
    private readonly OutboundRules _allow;

    public OutboundAddressGuard(IOptions<OutboundOptions> options)
    {
        _deny = OutboundRules.Parse(BuiltInDeny.Select(d => d.Entry).Concat(options.Value.Deny));
        _allow = OutboundRules.Parse(options.Value.Allow);
    }

    public SocketsHttpHandler CreateHandler() => new() { ConnectCallback = ConnectAsync };

    /// <summary>Throws <see cref="OutboundRequestRefusedException"/> when <paramref name="host"/> is denied by name.</summary>
    public void CheckHost(string host)
    {
        if (_deny.MatchesHost(host) && !_allow.MatchesHost(host))
        {
            throw new OutboundRequestRefusedException($"Address not allowed: {host} is on the outbound deny list ({OutboundOptions.Section}:Deny).");
        }
    }

    /// <summary>Null when <paramref name="address"/> may be reached, else why not.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allow.MatchesHost(host) || _allow.MatchesAddress(address) || !_deny.MatchesAddress(address))
        {
            return null;
        }

        var subject = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"{address} is" : $"{host} resolves to {address},";
        var builtIn = BuiltInDeny.FirstOrDefault(d => IPNetwork.Parse(d.Entry).Contains(address));
        return builtIn.Why is { } why
            ? $"Address not allowed: {subject} {why}."
            : $"Address not allowed: {subject} on the outbound deny list ({OutboundOptions.Section}:Deny).";
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        CheckHost(host);
        // Through a proxy the endpoint is the proxy; the request's own host must pass the name rules as well.
        if (context.InitialRequestMessage.RequestUri?.IdnHost is { } requested && !requested.Equals(host, StringComparison.OrdinalIgnoreCase))
        {
            CheckHost(requested);
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => Refusal(host, a) is null).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundRequestRefusedException(addresses.Length == 0 ? $"Address not allowed: {host} has no address." : Refusal(host, addresses[0])!);
        }

        // Dual-mode socket: one socket type reaches both IPv4 and IPv6 addresses.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Parsed allow or deny entries: networks and host names (exact, or <c>*.suffix</c>).</summary>
internal sealed class OutboundRules
{
    private readonly List<IPNetwork> _networks = [];
    private readonly List<string> _hosts = [];

    public static OutboundRules Parse(IEnumerable<string> entries)
    {
        var rules = new OutboundRules();
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (TryParseNetwork(entry, out var network))
            {
                rules._networks.Add(network);
            }
            else if (IsHostPattern(entry))
            {
                rules._hosts.Add(entry.TrimEnd('.').ToLowerInvariant());
            }
            else
            {
                throw new FormatException($"'{raw}' is not an IP address, CIDR range, host name or *.suffix.");
            }
        }

        return rules;
    }

    public bool MatchesAddress(IPAddress address) => _networks.Exists(n => n.Contains(address));

    public bool MatchesHost(string host)
    {
        host = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        return _hosts.Exists(h => h.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(h[1..], StringComparison.Ordinal)
            : host == h);
    }

    internal static bool TryParseNetwork(string entry, out IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }

    internal static bool IsHostPattern(string entry)
    {
        var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return name.Length > 0 && Uri.CheckHostName(name.TrimEnd('.')) == UriHostNameType.Dns;
    }
}

/// <summary>Stops the host at start with the key and the bad entry, instead of failing on the first outbound call.</summary>
internal sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        var errors = options.Deny.Select((e, i) => (Key: $"{OutboundOptions.Section}:Deny:{i}", Entry: e))
            .Concat(options.Allow.Select((e, i) => (Key: $"{OutboundOptions.Section}:Allow:{i}", Entry: e)))
            .Where(x => x.Entry is null || !(OutboundRules.TryParseNetwork(x.Entry.Trim(), out _) || OutboundRules.IsHostPattern(x.Entry.Trim())))
            .Select(x => $"{x.Key}: '{x.Entry}' is not an IP address, CIDR range (10.0.0.0/8), host name or *.suffix.")
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
