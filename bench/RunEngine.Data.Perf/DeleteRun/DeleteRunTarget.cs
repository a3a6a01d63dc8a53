namespace RunEngine.Data.Perf.DeleteRun;

/// <summary>One database of the delete-run check: a fresh set of tables per variant, and the plan of its foreign-key check.</summary>
internal abstract class DeleteRunTarget : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Whether this database can build <paramref name="variant"/>.</summary>
    public virtual bool Supports(SchemaVariant variant) => true;

    /// <summary>Fresh, empty tables of <paramref name="variant"/>; statistics are left as the bulk insert leaves them.</summary>
    public abstract Task<RunEngineDatabase> CreateAsync(SchemaVariant variant, CancellationToken cancellationToken);

    /// <summary>How the database checks the cards' foreign key when a story of <paramref name="runId"/> is deleted.</summary>
    public abstract Task<string> ExplainForeignKeyCheckAsync(SchemaVariant variant, Guid runId, Guid storyId, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// A shipped script of the provider assembly that holds <paramref name="anchor"/>, read from its embedded resource
    /// (the same text EnsureSchemaAsync runs), with the placeholders expanded like the library does.
    /// </summary>
    protected static string Script(Type anchor, string resourcePrefix, string file, IReadOnlyDictionary<string, string> placeholders)
    {
        using var stream = anchor.Assembly.GetManifestResourceStream($"{resourcePrefix}.{file}.sql")
            ?? throw new InvalidOperationException($"No embedded script {file} in {anchor.Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        foreach (var (name, value) in placeholders)
        {
            text = text.Replace(name, value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The version-2 scripts in order.</summary>
    protected static readonly string[] Version2Scripts = ["000_bootstrap", "001_initial", "002_claims_and_run_log"];

    /// <summary>What a version row records for scripts 1 and 2.</summary>
    protected static readonly (int Version, string Description)[] Version2Rows = [(1, "initial"), (2, "claims and run log")];
}
