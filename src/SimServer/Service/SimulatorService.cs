using System.Collections.Concurrent;
using System.Threading.Channels;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using Grpc.Core;
using AgentStateMessage = DistDepth.Sim.V1.AgentState;
using StereoRigMessage = DistDepth.Sim.V1.StereoRig;

namespace DistDepth.SimServer.Service;

/// <summary>The embedded simulator behind the gRPC protocol. Domain errors become status codes with
/// messages a person can act on; anything else is a bug and surfaces as INTERNAL.</summary>
public sealed class SimulatorService(SceneCatalog catalog) : Simulator.SimulatorBase
{
    public const int MaxTrajectoryFrames = 1_000_000;
    private readonly ConcurrentDictionary<string, SimSession> _sessions = new();

    public override Task<ServerInfo> GetInfo(GetInfoRequest request, ServerCallContext context) => Task.FromResult(new ServerInfo
    {
        Name = "distdepth-embedded",
        Version = typeof(SimulatorService).Assembly.GetName().Version?.ToString() ?? "0",
        SceneKinds = { SceneKind.Procedural, SceneKind.Ply, SceneKind.Gltf },
        ExposureJitter = true,
        TrajectoryModes = { TrajectoryMode.Navigate, TrajectoryMode.WalkIntoWall, TrajectoryMode.StareAtWall, TrajectoryMode.LookIntoVoid },
    });

    public override Task<ListScenesResponse> ListScenes(ListScenesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListScenesResponse { Scenes = { catalog.List() } });

    public override Task<LoadSceneResponse> LoadScene(LoadSceneRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.SceneId)) throw Invalid("scene_id is empty: give a ListScenes id, 'procedural:<seed>' or a mesh path");
        LoadedScene scene;
        try
        {
            scene = catalog.Load(request.SceneId, request.Up);
        }
        catch (SceneNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message + " (ListScenes shows the available ids)"));
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
        catch (SceneWithoutFloorException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"scene '{request.SceneId}' cannot be used: {e.Message}"));
        }
        catch (SceneFormatException e)
        {
            throw Invalid($"scene '{request.SceneId}' cannot be used: {e.Message}");
        }
        var session = new SimSession(Guid.NewGuid().ToString("N"), scene);
        _sessions[session.Id] = session;
        return Task.FromResult(new LoadSceneResponse
        {
            SessionId = session.Id,
            Scene = new SceneInfo { Id = scene.Id, Kind = scene.Kind },
            TriangleCount = scene.Mesh.TriangleCount,
            BoundsMin = scene.Mesh.BoundsMin.ToProto(),
            BoundsMax = scene.Mesh.BoundsMax.ToProto(),
            NavigableAreaM2 = scene.Grid.NavigableArea,
            Rig = session.Rig.ToProto(),
        });
    }

    public override Task<CloseSessionResponse> CloseSession(CloseSessionRequest request, ServerCallContext context)
    {
        if (!_sessions.TryRemove(request.SessionId, out _)) throw SessionNotFound(request.SessionId);
        return Task.FromResult(new CloseSessionResponse());
    }

    public override Task<StereoRigMessage> ConfigureRig(ConfigureRigRequest request, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        lock (session.Gate)
        {
            try
            {
                session.Configure(session.Rig.Merge(request.Rig));
            }
            catch (ArgumentException e)
            {
                throw Invalid(e.Message);
            }
            return Task.FromResult(session.Rig.ToProto());
        }
    }

    public override Task<SampleNavigablePointResponse> SampleNavigablePoint(SampleNavigablePointRequest request, ServerCallContext context)
    {
        var point = Session(request.SessionId).Scene.Grid.SamplePoint(Seeded.Random(request.Seed))
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "the scene has no navigable floor (no walkable horizontal surface at its lowest level)"));
        return Task.FromResult(new SampleNavigablePointResponse { Point = point.ToProto() });
    }

    public override Task<ShortestPathResponse> ShortestPath(ShortestPathRequest request, ServerCallContext context)
    {
        var path = PathFinder.Find(Session(request.SessionId).Scene.Grid, request.Start.ToVector3(), request.End.ToVector3());
        var response = new ShortestPathResponse { Found = path != null, GeodesicDistance = path?.Length ?? float.PositiveInfinity };
        if (path != null) response.Points.AddRange(path.Points.Select(p => p.ToProto()));
        return Task.FromResult(response);
    }

    public override Task<AgentStateMessage> SetPose(SetPoseRequest request, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        lock (session.Gate)
        {
            session.Agent = Navigation.AgentState.FromBody(request.Agent.ToRigidPose());
            return Task.FromResult(StateOf(session));
        }
    }

    public override Task<StepResponse> Step(StepRequest request, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        lock (session.Gate)
        {
            var a = session.Agent;
            var turn = Navigation.AgentState.TurnStep;
            session.Agent = request.Action switch
            {
                Sim.V1.Action.MoveForward => a.MoveForward(session.Scene.Grid, Navigation.AgentState.MoveStep),
                Sim.V1.Action.TurnLeft => a.Turn(turn, 0),
                Sim.V1.Action.TurnRight => a.Turn(-turn, 0),
                Sim.V1.Action.LookUp => a.Turn(0, turn),
                Sim.V1.Action.LookDown => a.Turn(0, -turn),
                _ => throw Invalid($"action {request.Action} is not one of MOVE_FORWARD, TURN_LEFT, TURN_RIGHT, LOOK_UP, LOOK_DOWN"),
            };
            var response = new StepResponse { State = StateOf(session) };
            if (request.Render) response.Frame = RenderCurrent(session);
            return Task.FromResult(response);
        }
    }

    public override Task<Frame> Render(RenderRequest request, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        lock (session.Gate) return Task.FromResult(RenderCurrent(session));
    }

    public override async Task RunTrajectory(RunTrajectoryRequest request, IServerStreamWriter<Frame> responseStream, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        if (request.FrameCount is <= 0 or > MaxTrajectoryFrames) throw Invalid($"frame_count {request.FrameCount} must be 1..{MaxTrajectoryFrames}");
        var settings = TrajectorySettingsOf(request);
        var planner = new TrajectoryPlanner(session.Scene.Mesh, session.Scene.Grid, session.Rig.CameraHeightM);
        using var ring = FrameRing.Writer.TryOpen(request.SharedMemory);
        // Render the next frames while earlier ones are on the wire. The producer blocks (on the channel,
        // on the client's ring slots), so it gets its own thread instead of starving the pool the renderer needs.
        var frames = Channel.CreateBounded<Frame>(2);
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var index = 0;
                foreach (var planned in planner.Plan(settings))
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    Frame frame;
                    lock (session.Gate)
                    {
                        var camera = session.Rig.LeftCamera(planned.LeftCamera(session.Rig.CameraHeightM));
                        var seed = request.Seed * 1_000_003UL + (ulong)index;
                        if (ring?.Reserve(session.Rig, context.CancellationToken) is var (targets, where))
                        {
                            var gain = session.RenderInto(camera, seed, targets);
                            frame = StereoImages.None.ToFrame(session.Rig, camera, index, planned.Agent.Collided, gain);
                            frame.SharedMemory = where;
                        }
                        else
                        {
                            var (images, gain) = session.Render(camera, seed);
                            frame = images.ToFrame(session.Rig, camera, index, planned.Agent.Collided, gain);
                        }
                        session.Agent = planned.Agent;
                    }
                    while (!frames.Writer.TryWrite(frame))
                        if (!frames.Writer.WaitToWriteAsync(context.CancellationToken).AsTask().GetAwaiter().GetResult()) return;
                    index++;
                }
                frames.Writer.Complete();
            }
            catch (Exception e)
            {
                frames.Writer.Complete(e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var frame in frames.Reader.ReadAllAsync(context.CancellationToken))
                await responseStream.WriteAsync(frame, context.CancellationToken);
        }
        catch (TrajectoryPlanner.PlanningException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
        catch (Exception) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away mid-stream (Ctrl-C, a dropped sequence): nothing is wrong here.
        }
        finally
        {
            await producer.ConfigureAwait(false);
        }
    }

    private static TrajectorySettings TrajectorySettingsOf(RunTrajectoryRequest r)
    {
        var kind = r.Mode switch
        {
            TrajectoryMode.Unspecified or TrajectoryMode.Navigate => TrajectoryKind.Navigate,
            TrajectoryMode.WalkIntoWall => TrajectoryKind.WalkIntoWall,
            TrajectoryMode.StareAtWall => TrajectoryKind.StareAtWall,
            TrajectoryMode.LookIntoVoid => TrajectoryKind.LookIntoVoid,
            _ => throw Invalid($"trajectory mode {r.Mode} is unknown"),
        };
        var defaults = new TrajectorySettings(kind, r.Seed, r.FrameCount);
        var s = defaults with
        {
            StepM = r.HasStepM ? r.StepM : defaults.StepM,
            YawJitterDeg = r.HasYawJitterDeg ? r.YawJitterDeg : defaults.YawJitterDeg,
            PitchJitterDeg = r.HasPitchJitterDeg ? r.PitchJitterDeg : defaults.PitchJitterDeg,
            HeightJitterM = r.HasHeightJitterM ? r.HeightJitterM : defaults.HeightJitterM,
        };
        if (!(s.StepM > 0 && s.StepM <= 5)) throw Invalid($"step_m {s.StepM} must be in (0, 5] metres");
        if (!(s.YawJitterDeg >= 0 && s.PitchJitterDeg >= 0 && s.HeightJitterM >= 0 && s.YawJitterDeg <= 90 && s.PitchJitterDeg <= 90 && s.HeightJitterM <= 1))
            throw Invalid("jitter must be non-negative: yaw/pitch <= 90 deg, height <= 1 m");
        return s;
    }

    private static Frame RenderCurrent(SimSession session)
    {
        var camera = session.Rig.LeftCamera(session.Agent.LeftCamera(session.Rig.CameraHeightM));
        var index = session.FramesRendered;
        var (images, gain) = session.Render(camera, (ulong)index);
        return images.ToFrame(session.Rig, camera, index, session.Agent.Collided, gain);
    }

    private static AgentStateMessage StateOf(SimSession session) => new()
    {
        Agent = session.Agent.Body.ToProto(),
        LeftCamera = session.Rig.LeftCamera(session.Agent.LeftCamera(session.Rig.CameraHeightM)).ToProto(),
        Collided = session.Agent.Collided,
    };

    private SimSession Session(string id) => _sessions.TryGetValue(id, out var s) ? s : throw SessionNotFound(id);

    private static RpcException SessionNotFound(string id) =>
        new(new Status(StatusCode.NotFound, $"session '{id}' not found: call LoadScene first and pass its session_id (sessions end with CloseSession or a server restart)"));

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
