using System.Runtime.InteropServices;

namespace RunEngine.Data.Perf.Output;

/// <summary>Where and when the figures were taken.</summary>
internal sealed record EnvironmentInfo(string DateUtc, string Cpu, int LogicalCores, string Os, string Runtime, Dictionary<string, string> Databases)
{
    /// <summary>The 1-minute load average when the run started (Linux); other processes on the machine skew timings.</summary>
    public string? LoadAtStart { get; init; } = LoadAverage();

    /// <summary>The 1-minute load average when the run ended.</summary>
    public string? LoadAtEnd { get; set; }

    public static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static EnvironmentInfo Capture() => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        CpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        []);

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
