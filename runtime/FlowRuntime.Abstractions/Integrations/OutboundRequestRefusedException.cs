namespace FlowRuntime.Abstractions.Integrations;

/// <summary>
/// The host's outbound guard refused to connect (link-local / cloud metadata address, or an address or host on the
/// deny list). It arrives as the inner exception of the <see cref="HttpRequestException"/> that the client throws,
/// so steps can tell "not allowed" apart from "could not connect". The message is safe to show.
/// </summary>
public sealed class OutboundRequestRefusedException(string message) : IOException(message);
