using DistDepth.Dataset;

namespace DistDepth.Cli.Commands;

internal static class SequenceExport
{
    /// <summary>Writes every frame's images plus colourised depth; returns the contact sheet's path.</summary>
    public static async Task<string> WriteAsync(string dir, string sequenceId, string outDir, CancellationToken ct)
    {
        var frames = await DatasetReader.Open(dir).ReadSequenceAsync(sequenceId, ct);
        Directory.CreateDirectory(outDir);
        foreach (var f in frames)
        {
            string Name(string what) => Path.Combine(outDir, $"{f.FrameIndex:D4}_{what}.png");
            await File.WriteAllBytesAsync(Name("left"), f.Left, ct);
            if (f.Right is not null) await File.WriteAllBytesAsync(Name("right"), f.Right, ct);
            if (f.Expert is not null) await File.WriteAllBytesAsync(Name("expert"), f.Expert, ct);
            if (f.Depth is not null)
            {
                await File.WriteAllBytesAsync(Name("depth_mm"), f.Depth, ct);
                DepthMap depth;
                try { depth = ImageCodec.DecodeDepth(f.Depth); }
                catch (InvalidDataException e) { throw new InvalidDataException($"{dir}: sequence '{sequenceId}' frame {f.FrameIndex}, depth: {e.Message}"); }
                var colour = DepthColormap.Colourise(depth);
                await File.WriteAllBytesAsync(Name("depth_colour"), ImageCodec.EncodeRgb(colour), ct);
            }
        }
        var sheet = Path.Combine(outDir, "contact_sheet.png");
        await File.WriteAllBytesAsync(sheet, ContactSheet.Render(frames), ct);
        return sheet;
    }
}
