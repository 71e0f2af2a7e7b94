namespace FlowRuntime.Plugins.Http.Internal;

/// <summary>Stable snake_case codes written to <c>&lt;activityId&gt;.errorCode</c>; flows may branch on them.</summary>
public static class HttpErrorCodes
{
    /// <summary>The integration is unknown, not authorized, needs re-authorization, or no token could be had.</summary>
    public const string AuthorizationNeeded = "authorization_needed";

    /// <summary>The host refused the destination (link-local / cloud metadata, or the outbound deny list).</summary>
    public const string AddressNotAllowed = "address_not_allowed";

    /// <summary>DNS failure, refused or reset connection, TLS failure.</summary>
    public const string ConnectError = "connect_error";

    public const string Timeout = "timeout";

    /// <summary>The API answered with a status the step does not expect (by default anything but 2xx).</summary>
    public const string UnexpectedStatus = "unexpected_status";

    /// <summary>A mapping's JSON path matched nothing in the response.</summary>
    public const string MissingPath = "missing_path";

    /// <summary>Mappings were given but the response body is not JSON.</summary>
    public const string NotJson = "not_json";

    public const string ResponseTooLarge = "response_too_large";

    /// <summary>The URL, method, header or mapping path is not valid after templates were filled in.</summary>
    public const string InvalidRequest = "invalid_request";
}
