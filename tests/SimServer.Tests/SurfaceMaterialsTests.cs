using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Scenes;
using System.Diagnostics;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 19: every surface of the interior generator has a seeded texture with the contrast of a
/// photograph, that tiles where it repeats.</summary>
public sealed class SurfaceMaterialsTests(ITestOutputHelper output)
{
    private static readonly Surface[] Pictures = [Surface.Poster, Surface.Screen, Surface.Window, Surface.Rug];

    public static TheoryData<Surface> Surfaces => new(Enum.GetValues<Surface>());

    [Theory, MemberData(nameof(Surfaces))]
    public void Each_surface_gives_the_same_texture_for_a_seed_and_another_for_another_seed(Surface surface)
    {
        var a = SurfaceMaterials.Create(surface, new Random(5)).Data.ToArray();
        Assert.Equal(a, SurfaceMaterials.Create(surface, new Random(5)).Data.ToArray());
        Assert.NotEqual(a, SurfaceMaterials.Create(surface, new Random(6)).Data.ToArray());
    }

    [Theory, MemberData(nameof(Surfaces))]
    public void Each_surface_has_a_plausible_brightness_and_visible_texture_for_every_seed(Surface surface)
    {
        // Screens are dark glass; everything else, black plastic and leather included, reflects 5-95 %.
        var (low, high) = surface == Surface.Screen ? (0.02f, 0.35f) : (0.05f, 0.95f);
        for (var seed = 0; seed < 4; seed++)
        {
            var luma = Luma(SurfaceMaterials.Create(surface, new Random(seed)));
            var mean = luma.Average();
            var std = MathF.Sqrt(luma.Average(l => (l - mean) * (l - mean)));
            Assert.InRange(mean, low, high);
            // Even matt paint varies by a few percent in a photo; a flat texture gives stereo nothing to match.
            Assert.True(std / mean > 0.015f, $"{surface} seed {seed}: std {std:F4} on mean {mean:F3}");
        }
    }

    [Theory]
    [InlineData(Surface.Carpet)]
    [InlineData(Surface.Fabric)]
    public void Pile_and_weave_vary_from_texel_to_texel(Surface surface)
    {
        for (var seed = 0; seed < 4; seed++)
        {
            var texture = SurfaceMaterials.Create(surface, new Random(seed));
            Assert.True(NeighbourContrast(texture) > 0.04f, $"{surface} seed {seed}: {NeighbourContrast(texture):F4}");
        }
        Assert.True(NeighbourContrast(SurfaceMaterials.Create(surface, new Random(0)))
                    > 2 * NeighbourContrast(SurfaceMaterials.Create(Surface.PaintedPlaster, new Random(0))));
    }

    [Theory, MemberData(nameof(Surfaces))]
    public void Repeating_surfaces_tile_without_a_visible_seam(Surface surface)
    {
        if (Pictures.Contains(surface)) return;
        for (var seed = 0; seed < 3; seed++)
        {
            var texture = SurfaceMaterials.Create(surface, new Random(seed));
            var luma = Luma(texture);
            int w = texture.Width, h = texture.Height;
            float Column(int a, int b) => Enumerable.Range(0, h).Average(y => MathF.Abs(luma[y * w + a] - luma[y * w + b]));
            float Row(int a, int b) => Enumerable.Range(0, w).Average(x => MathF.Abs(luma[a * w + x] - luma[b * w + x]));
            // The step across the wrap is of the size of the steps between neighbouring columns (rows) inside:
            // a pattern cut off there would stand out against smooth noise, while a board seam or a grout
            // line at the wrap has its like inside (within 1.5x: boards differ in tone). Books stand on the
            // shelf at v = 1 and have the shelf's shadow above them, so only u wraps.
            Assert.True(Column(w - 1, 0) <= 1.5f * Enumerable.Range(0, w - 1).Max(x => Column(x, x + 1)) + 1e-4f, $"{surface} seed {seed}: u seam");
            if (surface != Surface.BookSpines)
                Assert.True(Row(h - 1, 0) <= 1.5f * Enumerable.Range(0, h - 1).Max(y => Row(y, y + 1)) + 1e-4f, $"{surface} seed {seed}: v seam");
        }
    }

    [Fact]
    public void A_contact_sheet_of_every_surface_is_written_for_review()
    {
        const int cell = 256;
        var surfaces = Enum.GetValues<Surface>();
        using var sheet = new Mat(6 * cell, 4 * cell, MatType.CV_8UC3, Scalar.All(40));
        var clock = Stopwatch.StartNew();
        var textures = surfaces.Select(s => SurfaceMaterials.Create(s, new Random(1))).ToArray();
        output.WriteLine($"{surfaces.Length} textures in {clock.ElapsedMilliseconds} ms");
        for (var i = 0; i < surfaces.Length; i++)
        {
            var texture = textures[i];
            int x0 = i % 4 * cell, y0 = i / 4 * cell;
            for (var y = 0; y < cell; y++)
            for (var x = 0; x < cell; x++)
            {
                var (r, g, b) = texture.Sample((x + 0.5f) / cell, (y + 0.5f) / cell);
                sheet.Set(y0 + y, x0 + x, new Vec3b((byte)(b * 255 + 0.5f), (byte)(g * 255 + 0.5f), (byte)(r * 255 + 0.5f)));
            }
            Cv2.PutText(sheet, surfaces[i].ToString(), new Point(x0 + 4, y0 + cell - 6), HersheyFonts.HersheyPlain, 1.1, Scalar.All(0), 3);
            Cv2.PutText(sheet, surfaces[i].ToString(), new Point(x0 + 4, y0 + cell - 6), HersheyFonts.HersheyPlain, 1.1, Scalar.All(255), 1);
        }
        var path = Path.Combine(Path.GetTempPath(), "distdepth-surface-materials.png");
        Cv2.ImWrite(path, sheet);
        using var back = Cv2.ImRead(path);
        Assert.Equal((4 * cell, 6 * cell), (back.Width, back.Height));
    }

    private static float[] Luma(Texture texture)
    {
        var d = texture.Data;
        var luma = new float[texture.Width * texture.Height];
        for (var i = 0; i < luma.Length; i++) luma[i] = 0.2126f * d[3 * i] + 0.7152f * d[3 * i + 1] + 0.0722f * d[3 * i + 2];
        return luma;
    }

    /// <summary>Mean absolute step between horizontally neighbouring texels, relative to the mean.</summary>
    private static float NeighbourContrast(Texture texture)
    {
        var luma = Luma(texture);
        var w = texture.Width;
        var steps = Enumerable.Range(0, luma.Length).Where(i => i % w != w - 1).Average(i => MathF.Abs(luma[i + 1] - luma[i]));
        return steps / luma.Average();
    }
}
