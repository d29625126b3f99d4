using System.Numerics;

namespace DistDepth.SimServer.Geometry;

/// <summary>Round shapes for furniture and props, low-poly on purpose: a frame costs per triangle,
/// and at indoor distances 8-12 sides read as round.</summary>
public static class MeshShapes
{
    /// <summary>A cylinder or truncated cone from <paramref name="from"/> to <paramref name="to"/> (any
    /// axis: table legs, lamp shades, a rail), with end caps where <paramref name="caps"/> says.</summary>
    public static void AddTube(this MeshBuilder b, Vector3 from, Vector3 to, float radiusFrom, float radiusTo, int segments,
                               int material, Vector3 color, bool caps = true)
    {
        var axis = Vector3.Normalize(to - from);
        var (u, v) = Perpendiculars(axis);
        for (var s = 0; s < segments; s++)
        {
            float a0 = MathF.Tau * s / segments, a1 = MathF.Tau * (s + 1) / segments;
            Vector3 o0 = MathF.Cos(a0) * u + MathF.Sin(a0) * v, o1 = MathF.Cos(a1) * u + MathF.Sin(a1) * v;
            b.AddQuad(from + o0 * radiusFrom, from + o1 * radiusFrom, to + o1 * radiusTo, to + o0 * radiusTo, material, color, 0.5f);
            if (!caps) continue;
            // Every face here winds outwards (as MeshBuilder's boxes do), which ambient occlusion reads as its front.
            b.AddRawTriangle(to, to + o0 * radiusTo, to + o1 * radiusTo, material, color);
            b.AddRawTriangle(from, from + o1 * radiusFrom, from + o0 * radiusFrom, material, color);
        }
    }

    /// <summary>An axis-aligned ellipsoid (foliage, a bowl's body, a pillow's roll) as a UV sphere.</summary>
    public static void AddEllipsoid(this MeshBuilder b, Vector3 center, Vector3 radii, int rings, int segments, int material, Vector3 color)
    {
        Vector3 At(int ring, int segment)
        {
            float polar = MathF.PI * ring / rings, azimuth = MathF.Tau * segment / segments;
            return center + radii * new Vector3(MathF.Sin(polar) * MathF.Cos(azimuth), MathF.Cos(polar), MathF.Sin(polar) * MathF.Sin(azimuth));
        }
        for (var r = 0; r < rings; r++)
        for (var s = 0; s < segments; s++)
        {
            // Pole rings are fans: their quads would have two corners at the same point.
            if (r == 0) b.AddRawTriangle(At(0, 0), At(1, s + 1), At(1, s), material, color);
            else if (r == rings - 1) b.AddRawTriangle(At(r, s), At(r, s + 1), At(rings, 0), material, color);
            else b.AddQuad(At(r, s), At(r, s + 1), At(r + 1, s + 1), At(r + 1, s), material, color, 0.5f);
        }
    }

    /// <summary>An upright picture (a screen, a poster, the view out of a window) centred on <paramref name="center"/>,
    /// facing <paramref name="facing"/> (horizontal), the texture once across its longer side with its top row
    /// at the top. Quads take their UVs from their corners' order, so with the face towards the viewer the
    /// image reads mirrored left to right, which no texture here minds.</summary>
    public static void AddPicture(this MeshBuilder b, Vector3 center, Vector3 facing, float width, float height, int material, Vector3 color)
    {
        var right = Vector3.Normalize(Vector3.Cross(Vector3.UnitY, facing)) * (width / 2);
        var up = new Vector3(0, height / 2, 0);
        b.AddQuad(center + right + up, center - right + up, center - right - up, center + right - up, material, color, MathF.Max(width, height));
    }

    private static (Vector3 U, Vector3 V) Perpendiculars(Vector3 axis)
    {
        var helper = MathF.Abs(axis.Y) < 0.9f ? Vector3.UnitY : Vector3.UnitX;
        var u = Vector3.Normalize(Vector3.Cross(helper, axis));
        return (u, Vector3.Cross(axis, u));
    }
}
