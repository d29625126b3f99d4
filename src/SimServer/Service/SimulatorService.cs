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
public sealed class SimulatorService(SceneCatalog catalog, SessionRegistry sessions, ServerLimits limits) : Simulator.SimulatorBase
{
    public const int MaxTrajectoryFrames = 1_000_000;

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
        if (!sessions.TryReserve())
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"the server has {limits.MaxSessions} sessions open, its --max-sessions limit: close sessions you are done with (CloseSession); " +
                $"a session idle for {limits.Idle.TotalSeconds:0} s closes by itself"));
        SimSession session;
        try
        {
            session = new SimSession(Guid.NewGuid().ToString("N"), catalog.Load(request.SceneId, request.Up));
        }
        catch (SceneNotFoundException e)
        {
            sessions.Unreserve();
            throw new RpcException(new Status(StatusCode.NotFound, e.Message + " (ListScenes shows the available ids)"));
        }
        catch (ArgumentException e)
        {
            sessions.Unreserve();
            throw Invalid(e.Message);
        }
        catch (SceneWithoutFloorException e)
        {
            sessions.Unreserve();
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"scene '{request.SceneId}' cannot be used: {e.Message}"));
        }
        catch (SceneFormatException e)
        {
            sessions.Unreserve();
            throw Invalid($"scene '{request.SceneId}' cannot be used: {e.Message}");
        }
        catch
        {
            sessions.Unreserve();
            throw;
        }
        sessions.Add(session);
        var scene = session.Scene;
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
        if (!sessions.Close(request.SessionId)) throw SessionNotFound(request.SessionId);
        return Task.FromResult(new CloseSessionResponse());
    }

    public override Task<StereoRigMessage> ConfigureRig(ConfigureRigRequest request, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        // A stream's frames were sized for the rig it started with (its ring, its buffer bound).
        if (session.Streaming.CurrentCount == 0)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"session '{session.Id}' is streaming a trajectory: configure the rig before RunTrajectory or after it ends"));
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
        var grid = Session(request.SessionId).Scene.Grid;
        var path = PathFinder.Find(grid, request.Start.ToBoundedVector3("start"), request.End.ToBoundedVector3("end"));
        var response = new ShortestPathResponse { Found = path != null, GeodesicDistance = path?.Length ?? float.PositiveInfinity };
        if (path != null) response.Points.AddRange(path.Points.Select(p => p.ToProto()));
        return Task.FromResult(response);
    }

    public override Task<AgentStateMessage> SetPose(SetPoseRequest request, ServerCallContext context)
    {
        var session = Session(request.SessionId);
        lock (session.Gate)
        {
            session.Agent = Navigation.AgentState.FromBody(request.Agent.ToRigidPose("agent"));
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
        // Ends with the call or with the session (closed, or idle: a client that stopped reading).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, session.Closed);
        var ct = stop.Token;
        try
        {
            await session.Streaming.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            throw Ended(session, context);
        }
        try
        {
            await StreamAsync(session, request, settings, responseStream, ct);
        }
        catch (TrajectoryPlanner.PlanningException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // The client went away mid-stream (Ctrl-C, a dropped sequence), or its session ended.
            if (!context.CancellationToken.IsCancellationRequested) throw Ended(session, context);
        }
        finally
        {
            session.Streaming.Release();
        }
    }

    /// <summary>Renders the next frames while earlier ones are on the wire, holding at most
    /// <see cref="ServerLimits.StreamBufferBytes"/> (or one frame) rendered and not yet handed to the transport.
    /// The producer blocks (on that bound, on the client's ring slots), so it gets its own thread instead of
    /// starving the pool the renderer needs.</summary>
    private async Task StreamAsync(SimSession session, RunTrajectoryRequest request, TrajectorySettings settings,
                                   IServerStreamWriter<Frame> responseStream, CancellationToken ct)
    {
        var planner = new TrajectoryPlanner(session.Scene.Mesh, session.Scene.Grid, session.Rig.CameraHeightM);
        var rig = session.Rig;
        using var ring = FrameRing.Writer.TryOpen(request.SharedMemory, FrameRing.SlotBytesFor(rig.Width, rig.Height));
        var frameBytes = ring != null ? 1 : Math.Max(1, FrameRing.SlotBytesFor(rig.Width, rig.Height));
        using var unsent = new SemaphoreSlim((int)Math.Clamp(limits.StreamBufferBytes / frameBytes, 1, 4));
        var frames = Channel.CreateUnbounded<Frame>(); // bounded by `unsent`
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct); // stops the producer however the stream ends
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var index = 0;
                foreach (var planned in planner.Plan(settings))
                {
                    unsent.Wait(done.Token);
                    Frame frame;
                    lock (session.Gate)
                    {
                        var camera = session.Rig.LeftCamera(planned.LeftCamera(session.Rig.CameraHeightM));
                        var seed = request.Seed * 1_000_003UL + (ulong)index;
                        if (ring?.Reserve(session.Rig, done.Token) is var (targets, where))
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
                    frames.Writer.TryWrite(frame);
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
            await foreach (var frame in frames.Reader.ReadAllAsync(ct))
            {
                await responseStream.WriteAsync(frame, ct);
                unsent.Release();
                session.Touch();
            }
        }
        finally
        {
            done.Cancel();
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
        session.Touch(); // a render on a busy machine can take longer than the idle timeout
        return images.ToFrame(session.Rig, camera, index, session.Agent.Collided, gain);
    }

    private static AgentStateMessage StateOf(SimSession session) => new()
    {
        Agent = session.Agent.Body.ToProto(),
        LeftCamera = session.Rig.LeftCamera(session.Agent.LeftCamera(session.Rig.CameraHeightM)).ToProto(),
        Collided = session.Agent.Collided,
    };

    private SimSession Session(string id) => sessions.Find(id) ?? throw SessionNotFound(id);

    private RpcException Ended(SimSession session, ServerCallContext context) => context.CancellationToken.IsCancellationRequested
        ? new(new Status(StatusCode.Cancelled, "the client cancelled the call"))
        : new(new Status(StatusCode.Aborted, $"session '{session.Id}' was closed during the trajectory (CloseSession, or no frame read for {limits.Idle.TotalSeconds:0} s)"));

    private static RpcException SessionNotFound(string id) =>
        new(new Status(StatusCode.NotFound, $"session '{id}' not found: call LoadScene first and pass its session_id (sessions end with CloseSession, after being idle, or with a server restart)"));

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
