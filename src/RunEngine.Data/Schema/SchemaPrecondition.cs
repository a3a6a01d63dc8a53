using System.Globalization;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Schema;

/// <summary>
/// What must hold before a script can be applied: <see cref="CountSql"/> counts the rows that would make the script
/// fail; when it finds any, the migration stops with a <see cref="SchemaException"/> that says how many and what to do,
/// before the script has changed anything. Existing rows are never rewritten by a migration.
/// </summary>
internal sealed record SchemaPrecondition(int Version, string CountSql, string Problem, string Remedy)
{
    /// <summary>The preconditions of the shipped scripts, over the configured tables (the same text on every provider).</summary>
    public static IReadOnlyList<SchemaPrecondition> For(TableNames tables, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(dialect);
        string Q(string name) => dialect.Quote(name);
        return
        [
            new SchemaPrecondition(
                3,
                $"SELECT COUNT(*) FROM {tables.Cards} c INNER JOIN {tables.Stories} s ON s.{Q("id")} = c.{Q("story_id")} " +
                $"WHERE c.{Q("run_id")} <> s.{Q("run_id")}",
                "cards have a run_id that differs from their story's run_id, which the composite foreign key (run_id, story_id) -> stories (run_id, id) forbids",
                "Set each such card's run_id to its story's run_id (or delete those cards), then call EnsureSchemaAsync again; docs/schema.md lists them with one query"),
        ];
    }

    /// <summary>The message when <paramref name="count"/> rows block the script (counts only, never row content).</summary>
    public string Describe(string providerName, string schema, long count) => string.Create(
        CultureInfo.InvariantCulture,
        $"The {providerName} schema {schema} cannot be upgraded to version {Version}: {count} {Problem}. Nothing was changed: the migration rolled back. {Remedy}.");
}
