using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistDepth.SimProtocol.Tests;

/// <summary>What an operator makes for a server on a cluster network, written as files the CLI reads: a
/// token, a CA, and a server certificate the CA signed for 127.0.0.1 and localhost.</summary>
public sealed record ClusterCredentials(string TokenFile, string Token, string CaFile, string CertificateFile, string KeyFile)
{
    public static ClusterCredentials Create(string folder)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=distdepth test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=simulator", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server auth
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));

        var credentials = new ClusterCredentials(Path.Combine(folder, "token"), token, Path.Combine(folder, "ca.pem"),
            Path.Combine(folder, "server.pem"), Path.Combine(folder, "server.key"));
        File.WriteAllText(credentials.TokenFile, token + "\n");
        File.WriteAllText(credentials.CaFile, ca.ExportCertificatePem());
        File.WriteAllText(credentials.CertificateFile, server.ExportCertificatePem());
        File.WriteAllText(credentials.KeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        return credentials;
    }

    public string[] ServeArguments => ["--token-file", TokenFile, "--tls-cert", CertificateFile, "--tls-key", KeyFile];
}
