using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace FlowRuntime.Integrations.Storage;

/// <summary>Encrypts client secrets and tokens at rest with ASP.NET Core Data Protection (keys in the database).</summary>
internal sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("FlowRuntime.Integrations.Secrets.v1");

    public string? Protect(string? value) => value is null ? null : _protector.Protect(value);

    public string? Unprotect(string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            // A lost key ring means the secret is gone; callers treat it as missing (re-authorization).
            return null;
        }
    }

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
