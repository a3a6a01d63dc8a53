using System.Globalization;

namespace RunEngine.Data.Perf.Output;

/// <summary>The targets, checked against one database's cells; a target whose cells were not measured says so.</summary>
internal static class TargetCheck
{
    public static IEnumerable<string> Lines(IReadOnlyList<Measurement.Measurement> cells)
    {
        var database = cells.Count > 0 ? cells[0].Database : string.Empty;
        var library = cells.Where(c => c.Method == "library" && !c.Skipped).ToList();
        var speedupGoal = database switch { "PostgreSQL" => 50.0, "SQLite" => 5.0, _ => (double?)null };
        var at10k = library.FirstOrDefault(c => c.Cards == 10_000);
        if (speedupGoal is { } goal)
        {
            yield return at10k?.SpeedupVsNaive is { } speedup
                ? $"{Mark(speedup >= goal)} library vs naive at 10,000 cards: {F(speedup)}× (target ≥ {goal:0}×)"
                : $"? library vs naive at 10,000 cards: not measured (run size 10,000 with both methods)";
            var naiveTx = cells.FirstOrDefault(c => c.Method == "naive-tx" && c.Cards == 10_000 && !c.Skipped);
            if (at10k is not null && naiveTx is not null)
            {
                var ratio = naiveTx.MedianMs / at10k.MedianMs;
                yield return $"{Mark(ratio >= goal)} library vs naive-tx (the same loop in one transaction) at 10,000 cards: {F(ratio)}× (same target)";
            }
        }

        foreach (var cell in library.Where(c => c.TimeVsRawLimit is not null && c.Cards >= 1_000))
        {
            yield return $"{Mark(cell.TimeVsRawLimit <= 1.25)} library time ÷ raw-limit at {cell.Cards:N0} cards: {F(cell.TimeVsRawLimit!.Value)} (target ≤ 1.25)";
        }

        foreach (var cell in library.Where(c => c.Cards >= 1_000))
        {
            var multi = cells.FirstOrDefault(c => c.Method == "multi-row" && c.Cards == cell.Cards && !c.Skipped);
            if (multi is not null)
            {
                yield return $"{Mark(cell.MedianMs < multi.MedianMs)} library vs multi-row at {cell.Cards:N0} cards: {F(multi.MedianMs / cell.MedianMs)}× faster (target > 1)";
            }
        }

        // The peers, side by side (no target of the issue's: what users would pick instead).
        foreach (var cell in library.Where(c => c.Cards >= 1_000))
        {
            foreach (var peer in new[] { "linq2db", "efcore" })
            {
                var other = cells.FirstOrDefault(c => c.Method == peer && c.Cards == cell.Cards && !c.Skipped);
                if (other is not null)
                {
                    yield return $"info: {peer} time ÷ library at {cell.Cards:N0} cards: {F(other.MedianMs / cell.MedianMs)}";
                }
            }
        }

        var counted = library.Where(c => c.Statements is not null).OrderBy(c => c.Cards).ToList();
        if (counted.Count >= 2)
        {
            var constant = counted.All(c => c.Statements == counted[0].Statements);
            var list = string.Join(", ", counted.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Statements:N0} at {c.Cards:N0}")));
            yield return $"{Mark(constant)} library statements per cycle constant: {list}";
        }
    }

    private static string Mark(bool met) => met ? "met:" : "MISSED:";

    private static string F(double value) => value.ToString(value < 10 ? "N2" : "N1", CultureInfo.InvariantCulture);
}
