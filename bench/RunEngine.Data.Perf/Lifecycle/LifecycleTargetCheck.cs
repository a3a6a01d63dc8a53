using System.Globalization;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>Issue 10's lifecycle targets, checked against one database's cells; a target whose cells are missing says so.</summary>
internal static class LifecycleTargetCheck
{
    public static IEnumerable<string> Lines(IReadOnlyList<LifecycleCell> cells)
    {
        var database = cells.Count > 0 ? cells[0].Database : string.Empty;
        var main = cells.Where(c => !c.Grid && !c.Failed).ToList();
        var set = main.FirstOrDefault(c => c.Method == "set-based");
        var perRow = main.FirstOrDefault(c => c.Method == "per-row");
        var shape = set ?? perRow;
        var atReference = shape is { Stories: 1_000, Cards: 10 };
        var where = shape is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" at {shape.Stories:N0}×{shape.Cards:N0}");
        if (database == "PostgreSQL")
        {
            yield return set?.FewerStatementsVsPerRow is { } fewer
                ? $"{Mark(fewer >= 20)} set-based sends {F(fewer)}× fewer statements than per-row{where} (target ≥ 20×)"
                : "? set-based vs per-row statements: not measured (run both methods)";
            yield return set?.SpeedupVsPerRow is { } speedup
                ? $"{(atReference ? Mark(speedup >= 5) : "?")} set-based vs per-row{where}: {F(speedup)}× faster (target ≥ 5× at 1,000×10{(atReference ? string.Empty : "; this run is another shape")})"
                : "? set-based vs per-row time: not measured (run both methods)";
            var efcore = main.FirstOrDefault(c => c.Method == "efcore");
            if (set is not null && efcore is not null)
            {
                var ratio = efcore.MedianMs / set.MedianMs;
                yield return $"{Mark(ratio >= 3)} set-based vs efcore{where}: {F(ratio)}× faster (target ≥ 3×)";
            }
        }

        if (database == "SQLite")
        {
            yield return set?.SpeedupVsPerRow is { } speedup
                ? $"{Mark(speedup >= 2)} set-based vs per-row{where}: {F(speedup)}× faster (target ≥ 2×)"
                : "? set-based vs per-row time: not measured (run both methods)";
        }

        var perBatch = cells.Where(c => c.Method == "set-based" && !c.Failed && c.StatementsPerBatch is not null)
            .OrderBy(c => c.Grid).ThenBy(c => c.Cards).ThenBy(c => c.Claim).ToList();
        if (perBatch.Count >= 2)
        {
            var constant = perBatch.All(c => Math.Abs(c.StatementsPerBatch!.Value - perBatch[0].StatementsPerBatch!.Value) < 0.001);
            var list = string.Join(", ", perBatch.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.StatementsPerBatch:0.##} at S={c.Stories:N0} C={c.Cards} K={c.Claim}")));

            // SQLite's trace hook counts executions of prepared statements, which are per row by design there: a count, not round trips.
            var mark = database == "SQLite" ? (constant ? "met:" : "info (SQLite counts statement executions, not round trips):") : Mark(constant);
            yield return $"{mark} set-based statements per worker batch constant across K and C: {list}";
        }
        else
        {
            yield return "? set-based statements per worker batch across K and C: not measured (the grid runs with set-based)";
        }
    }

    private static string Mark(bool met) => met ? "met:" : "MISSED:";

    private static string F(double value) => value.ToString(value < 10 ? "N2" : "N1", CultureInfo.InvariantCulture);
}
