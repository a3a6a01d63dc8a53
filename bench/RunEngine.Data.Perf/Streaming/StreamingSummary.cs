namespace RunEngine.Data.Perf.Streaming;

/// <summary>
/// One database's verdict over several sizes: the live heap's growth at the smallest and at the largest batch, their
/// ratio, and whether both targets hold (growth at the largest ≤ 32 MB, ratio ≤ 1.5).
/// </summary>
internal sealed record StreamingSummary(string Database, int SmallCards, long SmallGrowthBytes, int LargeCards, long LargeGrowthBytes)
{
    /// <summary>Growths under 1 MB are noise (a JIT, a pool): the ratio is taken over at least 1 MB.</summary>
    private const long RatioFloorBytes = 1L * 1024 * 1024;

    public double Ratio => (double)Math.Max(LargeGrowthBytes, RatioFloorBytes) / Math.Max(SmallGrowthBytes, RatioFloorBytes);

    public bool GrowthMet => LargeGrowthBytes <= StreamingResult.GrowthTargetBytes;

    public bool RatioMet => Ratio <= StreamingResult.RatioTarget;

    public static IReadOnlyList<StreamingSummary> Of(IReadOnlyList<StreamingResult> results) =>
        results.GroupBy(r => r.Database)
            .Where(g => g.Select(r => r.Cards).Distinct().Count() > 1)
            .Select(g =>
            {
                var small = g.MinBy(r => r.Cards)!;
                var large = g.MaxBy(r => r.Cards)!;
                return new StreamingSummary(g.Key, small.Cards, small.LiveGrowthBytes, large.Cards, large.LiveGrowthBytes);
            })
            .ToArray();
}
