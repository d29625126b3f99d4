using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace DistDepth.Curation.Tests;

/// <summary>Acceptance 2: the review page renders in a real browser with one entry per rejected sequence.</summary>
public class ReviewReportTests(ITestOutputHelper output)
{
    const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task ReportRendersInHeadlessChromiumWithEveryRejectedSequence()
    {
        var set = await PlantedSet.GetAsync();
        var curated = await PlantedSet.CuratedAsync();
        if (!File.Exists(Chromium))
        {
            // scripts/setup.sh installs it; say so loudly rather than pass silently.
            output.WriteLine($"SKIPPED: {Chromium} is not installed (apt-get install chromium)");
            Console.WriteLine($"SKIPPED ReportRendersInHeadlessChromium: {Chromium} is not installed");
            return;
        }
        var url = new Uri(Path.GetFullPath(set.ReportPath)).AbsoluteUri;
        var dom = await RunChromiumAsync("--dump-dom", url);
        int rejectedEntries = Regex.Matches(dom, "<section class=\"sequence rejected\" data-verdict=\"rejected\"").Count;
        Assert.Equal(curated.Rejected.Count(), rejectedEntries);
        Assert.True(Regex.Matches(dom, "data-verdict=\"accepted\"").Count > 0, "a sample of accepted sequences ends the page");
        Assert.Contains("Rejections per check", dom);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "curation-report.png");
        File.Delete(screenshot);
        await RunChromiumAsync($"--screenshot={screenshot}", "--window-size=1280,2000", url);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot shows something");
        output.WriteLine($"review page {set.ReportPath}: {rejectedEntries} rejected entries; screenshot for a person: {screenshot}");
        Console.WriteLine($"curation review screenshot: {screenshot}");
    }

    static async Task<string> RunChromiumAsync(params string[] args)
    {
        var profile = TempFolder.New("chromium-profile");
        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}" }.Concat(args))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
