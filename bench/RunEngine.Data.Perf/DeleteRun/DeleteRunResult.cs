namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>One timed <c>DeleteRunAsync</c> of one schema variant.</summary>
internal sealed record DeleteRunResult(
    string Database, SchemaVariant Variant, int Stories, int Cards, double InsertSeconds, double DeleteMilliseconds, string ForeignKeyCheckPlan);
