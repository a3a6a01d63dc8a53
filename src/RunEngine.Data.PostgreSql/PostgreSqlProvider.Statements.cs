using System.Globalization;
using System.Reflection;
using RunEngine.Data.Mapping;
using RunEngine.Data.PostgreSql.Bulk;
using RunEngine.Data.PostgreSql.Schema;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.Schema;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.PostgreSql;

/// <summary>Every SQL text the PostgreSQL provider can send, named, for the statement tests.</summary>
internal sealed partial class PostgreSqlProvider
{
    // String properties of the provider and its statements that are names or fragments, not whole statements.
    private static readonly HashSet<string> NotStatements = new(StringComparer.Ordinal)
    {
        nameof(Name), nameof(DbSystemName), nameof(TableStatements<Story>.Table), nameof(TableStatements<Story>.ColumnList),
        nameof(TableStatements<Story>.InsertColumns), nameof(StagingStatements.StageTable), nameof(StatusStagingStatements.StageName),
    };

    /// <summary>
    /// Every PostgreSQL text this provider can send, named (as <c>SqlServerProvider.AllStatementTexts</c>): the schema
    /// scripts, every statement of the provider, its tables, its run statements, its one-statement forms and its batch
    /// lease transitions (found by reflection, so new ones are covered without listing them), the migrator's version
    /// statements and lock, the key look-ups after a rejected batch, the bulk writer's COPY and staging statements, and
    /// the set-based status changes (by id and by parent; distributed by run, the per-run texts the id-only forms send
    /// there, and their look-ups of the runs). Dapper list parameters stay as written: on PostgreSQL they
    /// are <c>= ANY(@Ids)</c>, one array parameter.
    /// </summary>
    internal IEnumerable<(string Name, string Sql)> AllStatementTexts()
    {
        foreach (var script in Schema.Scripts)
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"script {script.Version:000}"), Tables.Expand(script.Text));
        }

        foreach (var statement in StringProperties(this, nameof(DatabaseProvider)))
        {
            yield return statement;
        }

        // The provider's statement objects: its tables, run statements, one-statement forms and lease batch.
        foreach (var property in GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var type = property.PropertyType;
            if (type == typeof(RunStatements) || type == typeof(SingleRowChanges) || type == typeof(PostgreSqlLeaseBatch) || type == typeof(RunScopedStatusStatements)
                || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TableStatements<>)))
            {
                var owner = property.GetValue(this);
                if (owner is null)
                {
                    continue;
                }

                var name = type == typeof(PostgreSqlLeaseBatch) ? "LeaseBatch" : property.Name;
                foreach (var statement in StringProperties(owner, name))
                {
                    yield return statement;
                }
            }
        }

        yield return ("SchemaMigrator.CurrentVersionSql", SchemaMigrator.CurrentVersionSql(Tables));
        yield return ("SchemaMigrator.RecordVersionSql", SchemaMigrator.RecordVersionSql(Tables));
        foreach (var precondition in SchemaPrecondition.For(Tables, Dialect))
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"SchemaPrecondition {precondition.Version:000}"), precondition.CountSql);
        }

        yield return ("PostgreSqlSchemaDefinition.LockSql", PostgreSqlSchemaDefinition.LockSql);

        // The key look-ups after a rejected batch (KeyLookup): by each natural key, and the runs of the named stories.
        yield return ("KeyLookup.ByKey stories", KeyLookup<Story>.ByKeySql(Dialect, Tables.Stories, RunEngineTables.Stories.NaturalKey));
        yield return ("KeyLookup.ByKey cards", KeyLookup<Card>.ByKeySql(Dialect, Tables.Cards, RunEngineTables.Cards.NaturalKey));
        yield return ("KeyLookup.RunsOfParents", KeyLookup<Card>.RunsOfParentsSql(Dialect, Tables.Stories));

        // The bulk writer: COPY into each table, and the retry-safe insert's staging statements.
        foreach (var statement in BulkTexts(Stories).Concat(BulkTexts(Cards)).Concat(BulkTexts(RunLog)))
        {
            yield return statement;
        }

        // The set-based status changes: by id (staged), and by parent (one statement each). Distributed by run, what the
        // id-only forms send: the run-scoped lock steps and updates, one per run (PostgreSqlStatusChanges).
        var stories = new StatusChangeTable(Stories, null, RunEventKinds.StoryStatusChanged);
        var cards = new StatusChangeTable(null, Cards, RunEventKinds.CardStatusChanged) { StoriesTable = Tables.Stories };
        foreach (var table in new[] { stories, cards })
        {
            foreach (var statement in StringProperties(new StatusStagingStatements(table, Tables.RunLog, Dialect, inRun: IsDistributed), $"{table.Entity} status staging"))
            {
                yield return statement;
            }

            foreach (var statement in StringProperties(new StatusStagingStatements(table, Tables.RunLog, Dialect, inRun: true), $"{table.Entity} status staging in run"))
            {
                yield return statement;
            }
        }

        // Distributed by run, every change by parent sends one statement per run.
        yield return ("StatusByParent stories", IsDistributed ? StatusByParentStatements.ApplyOneRun(stories, Tables.RunLog, Dialect) : StatusByParentStatements.Apply(stories, Tables.RunLog, Dialect));
        yield return ("StatusByParent cards", IsDistributed ? StatusByParentStatements.ApplyOneRun(cards, Tables.RunLog, Dialect) : StatusByParentStatements.Apply(cards, Tables.RunLog, Dialect));
        yield return ("StatusByParent CountLogged", StatusByParentStatements.CountLogged(Tables.RunLog, Dialect));
        yield return ("StatusByParent cards in run", IsDistributed ? StatusByParentStatements.ApplyOneRun(cards, Tables.RunLog, Dialect) : StatusByParentStatements.Apply(cards, Tables.RunLog, Dialect, inRun: true));
        if (IsDistributed)
        {
            yield return ("StatusByParent RunsOfStories", StatusByParentStatements.RunsOfStories(Tables.Stories, Dialect));
        }

        yield return ("StatusByParent CountLogged stories", StatusByParentStatements.CountLogged(stories, Tables.RunLog, Dialect, inRun: false));
        yield return ("StatusByParent CountLogged cards", StatusByParentStatements.CountLogged(cards, Tables.RunLog, Dialect, inRun: false));
        yield return ("StatusByParent CountLogged cards in run", StatusByParentStatements.CountLogged(cards, Tables.RunLog, Dialect, inRun: true));
    }

    private IEnumerable<(string Name, string Sql)> BulkTexts<T>(TableStatements<T> table)
        where T : class
    {
        var entity = table.Map.EntityName;
        yield return ($"{entity} COPY", new CopyRowWriter<T>(table.Map, Dialect).CopyCommand(table.Table));
        var staging = StagingStatements.For(table, Dialect);
        yield return ($"{entity} COPY into staging", new CopyRowWriter<T>(table.Map, Dialect).CopyCommand(staging.StageTable));
        foreach (var statement in StringProperties(staging, $"{entity} staging"))
        {
            yield return statement;
        }
    }

    private static IEnumerable<(string Name, string Sql)> StringProperties(object owner, string ownerName)
    {
        foreach (var property in owner.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType == typeof(string) && property.GetIndexParameters().Length == 0 && !NotStatements.Contains(property.Name)
                && property.GetValue(owner) is string text)
            {
                yield return ($"{ownerName}.{property.Name}", text);
            }
        }
    }
}
