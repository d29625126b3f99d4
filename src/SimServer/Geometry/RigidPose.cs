using System.Numerics;

namespace DistDepth.SimServer.Geometry;

/// <summary>A rigid transform (camera- or body-to-world): y up, right-handed, looking down -z.</summary>
public readonly record struct RigidPose(Vector3 Position, Quaternion Rotation)
{
    public static RigidPose Identity => new(Vector3.Zero, Quaternion.Identity);

    public Vector3 TransformPoint(Vector3 local) => Position + Vector3.Transform(local, Rotation);

    public Vector3 TransformDirection(Vector3 local) => Vector3.Transform(local, Rotation);

    public Vector3 Forward => TransformDirection(-Vector3.UnitZ);

    /// <summary>Yaw about +y (0 looks down -z, positive turns left) then pitch about the turned +x.</summary>
    public static Quaternion FromYawPitch(float yaw, float pitch) =>
        Quaternion.Normalize(Quaternion.CreateFromAxisAngle(Vector3.UnitY, yaw) *
                             Quaternion.CreateFromAxisAngle(Vector3.UnitX, pitch));

    /// <summary>Row-major 3x4 camera-to-world matrix [R | t], the dataset's `pose` column.</summary>
    public float[] ToMatrix3x4()
    {
        var m = Matrix4x4.CreateFromQuaternion(Rotation);
        // System.Numerics is row-vector: row i of m is the image of axis i, i.e. column i of R.
        return [m.M11, m.M21, m.M31, Position.X, m.M12, m.M22, m.M32, Position.Y, m.M13, m.M23, m.M33, Position.Z];
    }
}
