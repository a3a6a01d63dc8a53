namespace RunEngine.Data.Perf.Measurement;

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Managed bytes allocated so far by every thread (async continuations run on pool threads).</summary>
    public static long AllocatedBytes() => GC.GetTotalAllocatedBytes(precise: true);

    /// <summary>
    /// Flushes the operating system's dirty pages (Linux/macOS <c>sync</c>), so that writeback left by the previous run's
    /// reset does not stall the next run's writes. Best effort: skipped where there is no <c>sync</c>.
    /// </summary>
    public static void FlushOperatingSystemCaches()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/sync"))
        {
            return;
        }

        using var sync = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sync") { UseShellExecute = false });
        sync?.WaitForExit();
    }

    /// <summary>Clears garbage left by the previous run so that its collection is not charged to the next one.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
