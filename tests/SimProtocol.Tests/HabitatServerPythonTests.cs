using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DistDepth.SimProtocol.Tests;

/// <summary>habitat_server_tests.py, one case per Python test: sim/habitat/server.py on the strict fake
/// habitat_sim, a test per habitat-sim behaviour the server must survive and per security rule.</summary>
public sealed partial class HabitatServerPythonTests
{
    static string Folder => Path.Combine(HabitatServer.RepositoryRoot(), "tests", "SimProtocol.Tests");

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        string? type = null;
        foreach (var line in File.ReadLines(Path.Combine(Folder, "habitat_server_tests.py")))
        {
            if (ClassLine().Match(line) is { Success: true } c) type = c.Groups[1].Value;
            else if (TestLine().Match(line) is { Success: true } t && type != null) cases.Add($"{type}.{t.Groups[1].Value}");
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Passes(string test)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-m", "unittest", $"habitat_server_tests.{test}" }) info.ArgumentList.Add(a);
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{test}: {await output}{await error}");
    }

    [GeneratedRegex(@"^class (\w+)\(HabitatTest\):")]
    private static partial Regex ClassLine();

    [GeneratedRegex(@"^    def (test_\w+)\(self\)")]
    private static partial Regex TestLine();
}
