using System.Globalization;
using RunEngine.Data.Perf.Output;

namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>The delete-run check as a Markdown table, one row per database and schema variant.</summary>
internal static class DeleteRunReport
{
    public static void Write(TextWriter output, EnvironmentInfo environment, IReadOnlyList<DeleteRunResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Load average (1 min): {environment.LoadAtStart ?? "n/a"} at start, {environment.LoadAtEnd ?? "n/a"} at end."));
        output.WriteLine();
        output.WriteLine("| Database | Schema | Stories | Cards | DeleteRunAsync | Foreign-key check per deleted story (plan) |");
        output.WriteLine("|---|---|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var variant = r.Variant switch
            {
                SchemaVariant.Version2 => "v2",
                SchemaVariant.Version3 => "v3",
                SchemaVariant.Version3WithRunIndex => "v3 + old cards (run_id) index",
                _ => "composite FK over v2's cards indexes (story_id, position), (run_id)",
            };
            output.WriteLine(string.Create(c, $"| {r.Database} | {variant} | {r.Stories:N0} | {r.Cards:N0} | {r.DeleteMilliseconds:N0} ms | `{r.ForeignKeyCheckPlan.Replace("|", "\\|", StringComparison.Ordinal)}` |"));
        }
    }
}
