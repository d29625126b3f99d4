using System.Numerics;
using DistDepth.Sim.V1;

namespace DistDepth.SimProtocol.Tests;

static class ProtoVectors
{
    public static Vector3 ToVector3(this Vec3 v) => new(v.X, v.Y, v.Z);

    public static Vec3 ToProto(this Vector3 v) => new() { X = v.X, Y = v.Y, Z = v.Z };
}
