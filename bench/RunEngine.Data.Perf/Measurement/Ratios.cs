namespace RunEngine.Data.Perf.Measurement;

/// <summary>Fills each cell's ratios against <c>naive</c> and <c>raw-limit</c> of the same database and size.</summary>
internal static class Ratios
{
    public static void Fill(IReadOnlyList<Measurement> results)
    {
        foreach (var cell in results.Where(r => !r.Skipped))
        {
            var naive = Find(results, cell, "naive");
            var raw = Find(results, cell, "raw-limit");
            cell.SpeedupVsNaive = naive is null ? null : naive.MedianMs / cell.MedianMs;
            cell.TimeVsRawLimit = raw is null ? null : cell.MedianMs / raw.MedianMs;
        }
    }

    private static Measurement? Find(IReadOnlyList<Measurement> results, Measurement cell, string method) =>
        results.FirstOrDefault(r => !r.Skipped && r.Database == cell.Database && r.Cards == cell.Cards && r.Method == method);
}
