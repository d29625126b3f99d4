using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Compiled by RoslynCodeTaskFactory against netstandard2.0, hence the plain loops.
// TorchSharp 0.107.0's libLibTorchSharp.so carries a version need on GLIBCXX_3.4.32 for one symbol,
// std::ios_base_library_init(), a tag libstdc++ 13 emits and nothing ever calls. Debian 12 ships
// libstdc++ 12, so the dynamic loader refuses the library. Marking that Vernaux entry weak
// (VER_FLG_WEAK = 0x2) turns the hard failure into a no-op; we only do it where the system lacks the version.
public class WeakenGlibcxxNeed : Task
{
    const string Needed = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public string SearchDirectory { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !Directory.Exists(SearchDirectory)) return true;
        if (SystemHasVersion()) return true;
        foreach (var lib in Directory.EnumerateFiles(SearchDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            try
            {
                if (Patch(lib))
                    Log.LogMessage(MessageImportance.High, $"Marked the {Needed} need of {lib} weak (system libstdc++ lacks it).");
            }
            catch (Exception e)
            {
                Log.LogError($"{lib}: could not weaken its {Needed} need: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemHasVersion()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        var needle = Encoding.ASCII.GetBytes(Needed + "\0");
        foreach (var path in candidates)
            if (File.Exists(path))
                return Contains(File.ReadAllBytes(path), needle);
        return true; // no libstdc++ found where we look: leave the library as shipped
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    // Returns true when the file was changed; writes through a temp file so a failed patch never leaves half a library.
    static bool Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28), count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)shoff + link * shentsize) + 0x18));
            return WeakenIn(elf, offset, count, strtab) && Save(path, elf);
        }
        throw new InvalidDataException("no .gnu.version_r section");
    }

    static bool WeakenIn(byte[] elf, int verneed, int count, int strtab)
    {
        for (int n = 0; n < count; n++)
        {
            int cnt = BitConverter.ToUInt16(elf, verneed + 2);
            int aux = verneed + (int)BitConverter.ToUInt32(elf, verneed + 8);
            for (int a = 0; a < cnt; a++)
            {
                if (ReadString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8)) == Needed)
                {
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    if ((flags & VerFlgWeak) != 0) return false;
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                    return true;
                }
                aux += (int)BitConverter.ToUInt32(elf, aux + 12);
            }
            verneed += (int)BitConverter.ToUInt32(elf, verneed + 12);
        }
        return false;
    }

    static string ReadString(byte[] elf, int at)
    {
        int end = Array.IndexOf(elf, (byte)0, at);
        return Encoding.ASCII.GetString(elf, at, end - at);
    }

    static bool Save(string path, byte[] elf)
    {
        var temp = path + ".patching";
        File.WriteAllBytes(temp, elf);
        File.Replace(temp, path, null);
        return true;
    }
}
