using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DistDepth.SimBridge;

/// <summary>What a client shows and trusts: the server's token (sent as "authorization: Bearer ..."), and
/// the CA that signed the server's TLS certificate (instead of the system's CAs).</summary>
public sealed record SimulatorAccess(string? Token = null, X509Certificate2? TrustedCa = null)
{
    /// <summary>The TLS check with <see cref="TrustedCa"/> as the only root; the name must match too.</summary>
    internal bool Trusts(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (TrustedCa == null) return errors == SslPolicyErrors.None;
        if (presented == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(TrustedCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }
}
