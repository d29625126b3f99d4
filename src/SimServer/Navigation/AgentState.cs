using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Navigation;

/// <summary>Where the agent stands (on the floor), where its body faces and where its head looks.
/// Yaw 0 faces -z; positive yaw turns left. Pitch is the camera's tilt, positive up.</summary>
public readonly record struct AgentState(Vector3 Position, float Yaw, float Pitch, bool Collided = false)
{
    public const float MoveStep = 0.25f;
    public static readonly float TurnStep = MathF.PI / 18;
    private static readonly float MaxPitch = MathF.PI * 4 / 9;

    public RigidPose Body => new(Position, RigidPose.FromYawPitch(Yaw, Pitch));

    /// <summary>Left camera pose, <paramref name="cameraHeight"/> above the floor point, plus an extra
    /// offset for height jitter.</summary>
    public RigidPose LeftCamera(float cameraHeight) => new(Position + new Vector3(0, cameraHeight, 0), RigidPose.FromYawPitch(Yaw, Pitch));

    public Vector3 Heading => new(-MathF.Sin(Yaw), 0, -MathF.Cos(Yaw));

    public static AgentState FromBody(RigidPose body)
    {
        var forward = body.Forward;
        return new AgentState(body.Position, MathF.Atan2(-forward.X, -forward.Z), MathF.Asin(Math.Clamp(forward.Y, -1f, 1f)));
    }

    /// <summary>Moves up to <paramref name="distance"/> along the heading; a blocked move stops at the
    /// last navigable point and sets <see cref="Collided"/>, as habitat-sim's navmesh filter does.</summary>
    public AgentState MoveForward(NavGrid grid, float distance)
    {
        var target = Position + Heading * distance;
        var free = grid.FreeDistance(Position, target);
        var collided = free < distance - 1e-4f;
        return this with { Position = Position + Heading * free, Collided = collided };
    }

    public AgentState Turn(float yaw, float pitch) =>
        this with { Yaw = Yaw + yaw, Pitch = Math.Clamp(Pitch + pitch, -MaxPitch, MaxPitch), Collided = false };
}
