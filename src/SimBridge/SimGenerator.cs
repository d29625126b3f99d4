using System.Threading.Channels;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using Grpc.Core;

namespace DistDepth.SimBridge;

/// <param name="Skipped">Sequences the scene cannot give (no floor, no open side for a void view), with the server's reason.</param>
public sealed record GenerationSummary(int Planned, int AlreadyDone, int Generated, long Frames, int Retries,
    IReadOnlyList<(string SequenceId, string Reason)> Skipped);

/// <summary>
/// Runs a plan against simulator servers with parallel sessions. <paramref name="servers"/> lists one
/// entry per session: a habitat server serves one session at a time, so each address appears once per
/// session it may hold (repeat the embedded server's to open several there); the workers are as many
/// as asked, at most one per entry, and each holds an entry of its own. Each sequence streams from the
/// server while its frames are PNG-encoded on other cores, and is committed whole; a sequence that
/// fails part-way (server died, stream broken) is dropped and retried on a fresh session, from the
/// free entry that waited longest (another server, when there is one free).
/// </summary>
public sealed class SimGenerator(SimGenOptions options, IReadOnlyList<Uri> servers, SimulatorAccess? access = null)
{
    public async Task<GenerationSummary> RunAsync(IReadOnlyList<SequenceJob> plan, DatasetWriter writer,
        IProgress<long>? framesDone = null, CancellationToken ct = default)
    {
        options.Validate();
        var todo = plan.Where(j => !writer.Contains(j.SequenceId)).ToList();
        var queue = Channel.CreateUnbounded<(SequenceJob Job, int Attempt)>();
        foreach (var job in todo) queue.Writer.TryWrite((job, 1));
        if (todo.Count == 0) queue.Writer.Complete();
        int remaining = todo.Count, retries = 0;
        var skipped = new List<(string, string)>();
        long frames = 0;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workerCount = Math.Min(options.Workers, servers.Count);
        // Entries no worker holds, longest-free first.
        var free = new Queue<int>(Enumerable.Range(workerCount, servers.Count - workerCount));

        async Task Worker(int index)
        {
            SimulatorConnection? connection = null;
            int entry = index;
            try
            {
                await foreach (var (job, attempt) in queue.Reader.ReadAllAsync(failed.Token))
                {
                    try
                    {
                        connection ??= await SimulatorConnection.ConnectAsync(servers[entry], access, failed.Token);
                        var sequence = await GenerateAsync(connection, job, writer, framesDone, failed.Token);
                        Interlocked.Add(ref frames, sequence);
                        if (Interlocked.Decrement(ref remaining) == 0) queue.Writer.Complete();
                    }
                    catch (RpcException e) when (SimulatorConnection.IsTransient(e) && !failed.IsCancellationRequested)
                    {
                        if (attempt >= options.MaxAttempts)
                            throw new IOException($"sequence {job.SequenceId} (scene {job.SceneId}) failed {attempt} times; last: {e.Status.Detail}");
                        Interlocked.Increment(ref retries);
                        connection?.Dispose();
                        connection = null;
                        lock (free)
                        {
                            // The next attempt goes to the entry free longest (this one again when none is).
                            free.Enqueue(entry);
                            entry = free.Dequeue();
                        }
                        queue.Writer.TryWrite((job, attempt + 1));
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && !failed.IsCancellationRequested)
                    {
                        // One scene that cannot give one trajectory must not cost a thousand-scene run.
                        lock (skipped) skipped.Add((job.SequenceId, e.Status.Detail));
                        if (Interlocked.Decrement(ref remaining) == 0) queue.Writer.Complete();
                    }
                    catch (RpcException e) when (!failed.IsCancellationRequested)
                    {
                        throw new ArgumentException($"scene {job.SceneId}: the simulator refused it ({e.StatusCode}): {e.Status.Detail}");
                    }
                }
            }
            catch
            {
                failed.Cancel(); // one worker's permanent failure stops the others
                throw;
            }
            finally
            {
                connection?.Dispose();
            }
        }

        var workers = Enumerable.Range(0, workerCount).Select(i => Task.Run(() => Worker(i))).ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: whatever each worker was doing when it noticed (a gRPC call, a queue read) is just that.
            throw new OperationCanceledException(ct);
        }
        catch (OperationCanceledException)
        {
            // A cancelled worker is the echo of another's failure: report that one.
            throw workers.Select(w => w.Exception?.InnerException).First(e => e is not null and not OperationCanceledException)!;
        }
        return new GenerationSummary(plan.Count, plan.Count - todo.Count, todo.Count - skipped.Count, frames, retries, skipped);
    }

    async Task<long> GenerateAsync(SimulatorConnection connection, SequenceJob job, DatasetWriter writer,
        IProgress<long>? framesDone, CancellationToken ct)
    {
        var session = await connection.SessionForAsync(job.SceneId, ct);
        await connection.Client.ConfigureRigAsync(new ConfigureRigRequest
        {
            SessionId = session,
            Rig = new StereoRig
            {
                BaselineM = options.BaselineM, Width = options.Width, Height = options.Height, HfovDeg = options.HfovDeg,
                CameraHeightM = job.CameraHeightM, ExposureJitter = options.ExposureJitter,
                MountRotationRad = new Vec3 { X = job.MountRotationRad.Pitch, Y = job.MountRotationRad.Yaw, Z = job.MountRotationRad.Roll },
                Outputs = { Output.RgbLeft, Output.RgbRight, Output.DepthLeft },
            },
        }, deadline: SimulatorConnection.Deadline(), cancellationToken: ct);

        var request = new RunTrajectoryRequest { SessionId = session, Seed = job.Seed, FrameCount = options.Frames, Mode = job.Mode };
        // Generous, but finite: a hung server must not hang the run.
        var deadline = SimulatorConnection.Deadline() + TimeSpan.FromSeconds(2.0 * options.Frames);
        var converters = Environment.ProcessorCount + 1;
        var encodeSlots = new SemaphoreSlim(converters);
        var encoded = new List<Task<StereoFrame>>();
        var camera = options.Camera.IsNone ? null : new CameraModel(options.Camera, job.Seed, options.Width, options.Height);
        StereoFrame[] frames;
        try
        {
            await foreach (var received in connection.RunTrajectoryAsync(request, options.Width, options.Height, converters + 1, deadline, ct))
            {
                try
                {
                    await encodeSlots.WaitAsync(ct);
                }
                catch
                {
                    received.Dispose();
                    throw;
                }
                // Not cancellable once queued: the task is what frees the frame's slot in the ring.
                encoded.Add(Task.Run(() =>
                {
                    try
                    {
                        return FrameConverter.ToStereoFrame(received, job, options, connection.Info.Name, camera);
                    }
                    finally
                    {
                        received.Dispose();
                        encodeSlots.Release();
                        framesDone?.Report(1);
                    }
                }, CancellationToken.None));
            }
            frames = await Task.WhenAll(encoded);
        }
        catch
        {
            framesDone?.Report(-encoded.Count); // the retry will count them again
            throw;
        }
        if (frames.Length != options.Frames)
            throw new RpcException(new Status(StatusCode.Aborted, $"stream ended after {frames.Length} of {options.Frames} frames"));
        var sequence = writer.BeginSequence(job.SceneId, job.SequenceId);
        foreach (var f in frames) sequence.Append(f);
        await sequence.CompleteAsync(ct);
        return frames.Length;
    }
}
