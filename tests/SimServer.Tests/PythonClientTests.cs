using System.Diagnostics;
using System.Text.Json;
using DistDepth.Sim.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Acceptance 3: Debian's python3-grpcio lists scenes, loads one and receives a frame.</summary>
public sealed class PythonClientTests(SimulatorFixture sim, ITestOutputHelper log) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public void Python_grpc_client_lists_loads_and_renders()
    {
        var dir = TempFolder.New("python");
        var descriptors = Path.Combine(dir, "simulator.desc");
        var set = new FileDescriptorSet { File = { FileDescriptorProto.Parser.ParseFrom(SimulatorReflection.Descriptor.SerializedData) } };
        File.WriteAllBytes(descriptors, set.ToByteArray());
        // Debian's interpreter: the one that sees python3-grpcio (a pyenv python3 on PATH does not).
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "python_client.py"), descriptors, $"127.0.0.1:{sim.Host.Port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "python client hung");
        log.WriteLine(stdout + stderr.Result);
        Assert.True(process.ExitCode == 0, $"python client failed: {stderr.Result}");
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("procedural:0", result.GetProperty("loaded").GetString());
        Assert.Equal(96 * 64 * 3, result.GetProperty("rgb_left").GetInt32());
        Assert.Equal(96 * 64 * 4, result.GetProperty("depth_left").GetInt32());
        Assert.Equal(48f, result.GetProperty("fx").GetSingle(), 3);
        Assert.Equal(0.1312f, result.GetProperty("baseline").GetSingle(), 4);
    }
}
