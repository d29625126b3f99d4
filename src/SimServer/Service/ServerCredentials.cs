using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistDepth.SimServer.Service;

/// <summary>Reads the files that secure a server and its clients, each failure one line naming the file.</summary>
public static class ServerCredentials
{
    /// <summary>The token in <paramref name="path"/>: its first line, trimmed, at least 16 characters.</summary>
    public static string ReadToken(string path)
    {
        var token = File.ReadLines(path).FirstOrDefault()?.Trim() ?? "";
        if (token.Length < 16 || token.Any(char.IsControl))
            throw new InvalidDataException($"{path}: the token must be one line of at least 16 printable characters (e.g. `openssl rand -hex 32 > {path}`)");
        return token;
    }

    /// <summary>A certificate with its private key, both PEM.</summary>
    public static X509Certificate2 ReadCertificate(string certificatePath, string keyPath)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{certificatePath} with key {keyPath}: not a PEM certificate and its matching private key ({e.Message})");
        }
    }

    /// <summary>A CA certificate (PEM) to trust for a server's TLS.</summary>
    public static X509Certificate2 ReadCa(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{path}: not a PEM or DER certificate ({e.Message})");
        }
    }
}
