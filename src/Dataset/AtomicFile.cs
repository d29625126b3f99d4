namespace DistDepth.Dataset;

/// <summary>Write-to-temp-then-rename, so a crash leaves either the old file or the new one.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents) =>
        Write(path, temp => File.WriteAllText(temp, contents));

    public static void WriteAllBytes(string path, byte[] contents) =>
        Write(path, temp => File.WriteAllBytes(temp, contents));

    public static void Write(string path, Action<string> writeTemp)
    {
        var temp = path + ".tmp";
        writeTemp(temp);
        using (var f = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) f.Flush(flushToDisk: true);
        File.Move(temp, path, overwrite: true);
    }
}
