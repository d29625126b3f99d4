using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Navigation;

public enum TrajectoryKind { Navigate, WalkIntoWall, StareAtWall, LookIntoVoid }

public sealed record TrajectorySettings(TrajectoryKind Kind, ulong Seed, int FrameCount, float StepM = 0.1f,
                                        float YawJitterDeg = 3f, float PitchJitterDeg = 3f, float HeightJitterM = 0.03f);

/// <summary>One planned frame: the agent state and the camera's jitter on top of it.</summary>
public readonly record struct TrajectoryFrame(AgentState Agent, float YawJitter, float PitchJitter, float HeightJitter)
{
    public RigidPose LeftCamera(float cameraHeight) =>
        new(Agent.Position + new Vector3(0, cameraHeight + HeightJitter, 0),
            RigidPose.FromYawPitch(Agent.Yaw + YawJitter, Agent.Pitch + PitchJitter));
}

/// <summary>
/// Plans camera trajectories, lazily so streaming starts at once: ordinary walks along shortest paths
/// between random points, and the failures curation must learn to reject (pushing into a wall,
/// staring at a wall from under 0.3 m, looking out of an open side into the void).
/// </summary>
public sealed class TrajectoryPlanner(SceneMesh mesh, NavGrid grid, float cameraHeight)
{
    private const int Directions = 36;
    private static readonly float MaxTurnPerFrame = MathF.PI / 12;

    /// <summary>Thrown when the scene cannot give the trajectory asked for (no floor, no open side).</summary>
    public sealed class PlanningException(string message) : Exception(message);

    public IEnumerable<TrajectoryFrame> Plan(TrajectorySettings s)
    {
        var rng = Seeded.Random(s.Seed, 0x5bd1e995);
        var jitter = new Jitter(rng, s);
        IEnumerable<AgentState> agents = s.Kind switch
        {
            TrajectoryKind.WalkIntoWall => WalkIntoWall(rng, s.StepM),
            TrajectoryKind.StareAtWall => StareAtWall(rng),
            TrajectoryKind.LookIntoVoid => LookIntoVoid(rng),
            _ => Navigate(rng, s.StepM),
        };
        return agents.Take(s.FrameCount).Select(a => jitter.Next(a));
    }

    private Vector3 Start(Random rng) =>
        grid.SamplePoint(rng) ?? throw new PlanningException("the scene has no navigable floor: trajectories need a floor at the lowest level");

    private IEnumerable<AgentState> Navigate(Random rng, float step)
    {
        var agent = new AgentState(Start(rng), rng.NextSingle() * MathF.Tau, 0);
        while (true)
        {
            PathFinder.Path? path = null;
            for (var attempt = 0; attempt < 20 && path is not { Length: > 1f }; attempt++)
                path = PathFinder.Find(grid, agent.Position, Start(rng));
            if (path is not { Length: > 1f }) throw new PlanningException("no path longer than 1 m found from the start point: the navigable floor is too small");
            var position = path.Points[0];
            foreach (var waypoint in path.Points.Skip(1))
            {
                while (Vector3.Distance(position, waypoint) > 1e-3f)
                {
                    var toWaypoint = waypoint - position;
                    var desiredYaw = MathF.Atan2(-toWaypoint.X, -toWaypoint.Z);
                    var turn = MathF.IEEERemainder(desiredYaw - agent.Yaw, MathF.Tau);
                    var yaw = agent.Yaw + Math.Clamp(turn, -MaxTurnPerFrame, MaxTurnPerFrame);
                    // Turn in place first when the corner is sharp, as a person would.
                    var advance = MathF.Abs(turn) > MathF.PI / 3 ? 0 : MathF.Min(step, toWaypoint.Length());
                    position += Vector3.Normalize(toWaypoint) * advance;
                    agent = new AgentState(position, yaw, 0);
                    yield return agent;
                }
            }
        }
    }

    private IEnumerable<AgentState> WalkIntoWall(Random rng, float step)
    {
        var start = Start(rng);
        // Face the nearest obstacle, then keep walking into it.
        var yaw = Enumerable.Range(0, Directions).Select(i => MathF.Tau * i / Directions)
            .MinBy(y => grid.FreeDistance(start, start + new AgentState(start, y, 0).Heading * 20f));
        var agent = new AgentState(start, yaw, 0);
        while (true)
        {
            yield return agent;
            agent = agent.MoveForward(grid, step);
        }
    }

    private IEnumerable<AgentState> StareAtWall(Random rng)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = Start(rng);
            var yaw = rng.NextSingle() * MathF.Tau;
            var heading = new AgentState(start, yaw, 0).Heading;
            var distance = mesh.Raycast(start + new Vector3(0, cameraHeight, 0), heading);
            if (!float.IsFinite(distance)) continue;
            var standoff = 0.12f + 0.12f * rng.NextSingle();
            var agent = new AgentState(start + heading * (distance - standoff), yaw, 0);
            // A chair leg or a lamp pole is not a wall: the view must be filled edge to edge.
            if (!FillsTheView(agent.Position + new Vector3(0, cameraHeight, 0), yaw, 0.6f)) continue;
            while (true) yield return agent;
        }
        throw new PlanningException("no wall found in front of 50 random navigable points");
    }

    /// <summary>Whether a fan of rays around <paramref name="yaw"/> (+-0.3 rad each way) all hit something within <paramref name="reachM"/>.</summary>
    private bool FillsTheView(Vector3 eye, float yaw, float reachM)
    {
        for (var dy = -1; dy <= 1; dy++)
        for (var pitch = -1; pitch <= 1; pitch++)
            if (!(mesh.Raycast(eye, new RigidPose(eye, RigidPose.FromYawPitch(yaw + dy * 0.3f, pitch * 0.3f)).Forward) < reachM)) return false;
        return true;
    }

    private IEnumerable<AgentState> LookIntoVoid(Random rng)
    {
        // Enough random points that one sees out of a doorway-sized opening in a flat of several rooms.
        const int attempts = 40;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var start = Start(rng);
            var eye = start + new Vector3(0, cameraHeight, 0);
            var first = rng.Next(Directions);
            for (var i = 0; i < Directions; i++)
            {
                var yaw = MathF.Tau * ((first + i) % Directions) / Directions;
                var agent = new AgentState(start, yaw, 0);
                if (float.IsFinite(mesh.Raycast(eye, agent.Heading))) continue;
                // Stand at the last navigable point along the escaping ray (the floor's open edge; furniture
                // on the way does not matter), face where most of the view escapes, among the headings whose
                // own ray escapes (the escaping ray's does, from anywhere along it), and pan slowly.
                var edge = LastNavigable(start, agent.Heading);
                var eyeAtEdge = edge + new Vector3(0, cameraHeight, 0);
                var bestYaw = Enumerable.Range(0, Directions).Select(k => MathF.Tau * k / Directions)
                    .Where(y => y == yaw || !float.IsFinite(mesh.Raycast(eyeAtEdge, new AgentState(edge, y, 0).Heading)))
                    .MaxBy(y => EscapingRays(eyeAtEdge, y));
                for (var frame = 0; ; frame++)
                    yield return new AgentState(edge, bestYaw + 0.2f * MathF.Sin(frame * 0.1f), 0);
            }
        }
        throw new PlanningException($"the scene has no open side: no horizontal ray from {attempts} random points escapes the geometry");
    }

    private Vector3 LastNavigable(Vector3 from, Vector3 heading)
    {
        var last = from;
        for (var d = 0f; d < 100f; d += grid.CellSize * 0.25f)
            if (grid.IsNavigable(from + heading * d)) last = from + heading * d;
        return last;
    }

    /// <summary>How many rays of a small fan around <paramref name="yaw"/> hit nothing.</summary>
    private int EscapingRays(Vector3 eye, float yaw)
    {
        var count = 0;
        for (var dy = -3; dy <= 3; dy++)
        for (var pitch = -1; pitch <= 1; pitch++)
        {
            var direction = new RigidPose(eye, RigidPose.FromYawPitch(yaw + dy * 0.15f, pitch * 0.3f)).Forward;
            if (!float.IsFinite(mesh.Raycast(eye, direction))) count++;
        }
        return count;
    }

    /// <summary>Smooth (AR(1)) yaw, pitch and height jitter with the requested standard deviations.</summary>
    private sealed class Jitter(Random rng, TrajectorySettings s)
    {
        private const float Keep = 0.8f;
        private float _yaw, _pitch, _height;

        public TrajectoryFrame Next(AgentState agent)
        {
            var innovation = MathF.Sqrt(1 - Keep * Keep);
            _yaw = Keep * _yaw + innovation * rng.NextGaussian() * s.YawJitterDeg * MathF.PI / 180;
            _pitch = Keep * _pitch + innovation * rng.NextGaussian() * s.PitchJitterDeg * MathF.PI / 180;
            _height = Keep * _height + innovation * rng.NextGaussian() * s.HeightJitterM;
            return new TrajectoryFrame(agent, _yaw, _pitch, _height);
        }
    }
}
