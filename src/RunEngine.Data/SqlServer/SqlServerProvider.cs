using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.Schema;

namespace RunEngine.Data.SqlServer;

/// <summary>SQL Server: SqlBulkCopy (or multi-row INSERTs for small batches), T-SQL scripts, SqlClient error numbers.</summary>
internal sealed partial class SqlServerProvider : DatabaseProvider
{
    // String properties of the provider and its statements that are names or fragments, not whole statements.
    private static readonly HashSet<string> NotStatements = new(StringComparer.Ordinal)
    {
        nameof(Name), nameof(TableStatements<Story>.Table), nameof(TableStatements<Story>.ColumnList), nameof(TableStatements<Story>.InsertColumns),
    };

    private readonly string _connectionString;
    private readonly SqlServerSchema _schema;
    private readonly SqlServerBulkWriter _bulkWriter;

    public SqlServerProvider(string connectionString, SqlServerOptions options)
        : base(options, SqlServerDialect.Instance, SqlServerSingleRowShape.Instance)
    {
        _connectionString = connectionString;
        SqlServerOptions = options;
        _schema = new SqlServerSchema(Tables);
        _bulkWriter = new SqlServerBulkWriter(options);
        ClaimStories = BuildClaim((now, expires) => SqlServerClaimStatement.Build(Tables.Stories, now, expires));
        StatusChangeWriter = new SqlServerStatusChanges(options, Tables);
        SqlServerLeaseBatch = new SqlServerLeaseBatch(Tables, Clock);
    }

    public override string Name => "SQL Server";

    public override string DbSystemName => "microsoft.sql_server";

    public SqlServerOptions SqlServerOptions { get; }

    /// <summary>UPDLOCK, READPAST, ROWLOCK picks and one UPDATE ... OUTPUT (see <see cref="SqlServerClaimStatement"/>).</summary>
    public override string ClaimStories { get; }

    public override IBulkWriter BulkWriter => _bulkWriter;

    public override StatusChanges.IStatusChangeWriter StatusChangeWriter { get; }

    public override SchemaDefinition Schema => _schema;

    /// <summary>A locking SELECT in id order and one <c>UPDATE … FROM (VALUES …)</c> per chunk of claims (<see cref="SqlServer.SqlServerLeaseBatch"/>).</summary>
    public override LeaseBatch LeaseBatch => SqlServerLeaseBatch;

    /// <summary>The batch lease transitions, typed, for the parser test.</summary>
    public SqlServerLeaseBatch SqlServerLeaseBatch { get; }

    public override ConnectionSource CreateConnectionSource() => new SqlServerConnectionSource(_connectionString);

    public override DbErrorKind Classify(Exception exception) => SqlServerErrors.Classify(exception);

    public override ConstraintViolation? DescribeViolation(Exception exception) => SqlServerErrors.Describe(exception, Tables.Prefix);

    /// <summary>
    /// Every T-SQL text this provider can send, named, for the parser test: the schema scripts batch by batch, every
    /// statement of the provider and its tables (found by reflection, so new ones are covered without listing them),
    /// the migrator's version statements, the lock, and the multi-row INSERT at the sizes it is sent in.
    /// Dapper list parameters (<c>IN @Ids</c>) appear as Dapper expands them.
    /// </summary>
    internal IEnumerable<(string Name, string Sql)> AllStatementTexts()
    {
        foreach (var script in Schema.Scripts)
        {
            var batch = 0;
            foreach (var text in Schema.SplitBatches(Tables.Expand(script.Text)))
            {
                yield return (string.Create(CultureInfo.InvariantCulture, $"script {script.Version:000} batch {++batch}"), text);
            }
        }

        foreach (var (name, text) in StringProperties(this, nameof(DatabaseProvider)))
        {
            yield return (name, text);
        }

        foreach (var property in typeof(DatabaseProvider).GetProperties())
        {
            var type = property.PropertyType;
            if (type == typeof(RunStatements) || type == typeof(SingleRowChanges) || type == typeof(RunScopedStatusStatements) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TableStatements<>)))
            {
                foreach (var statement in StringProperties(property.GetValue(this)!, property.Name))
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

        yield return ("SqlServerSchema.LockSql", SqlServerSchema.LockSql);

        // The status changes by parent (one chunk of two parents and two statuses; the text only repeats parameters).
        var storiesByRun = new StatusChanges.StatusChangeTable(Stories, null, RunEventKinds.StoryStatusChanged);
        var cardsByStory = new StatusChanges.StatusChangeTable(null, Cards, RunEventKinds.CardStatusChanged) { StoriesTable = Tables.Stories };
        yield return ("SqlServerStatusByParent stories", SqlServerStatusByParent.ApplyText(storiesByRun, Tables.RunLog, 2, 2));
        yield return ("SqlServerStatusByParent cards", SqlServerStatusByParent.ApplyText(cardsByStory, Tables.RunLog, 2, 2));
        yield return ("SqlServerStatusByParent cards in run", SqlServerStatusByParent.ApplyText(cardsByStory, Tables.RunLog, 2, 2, inRun: true));

        // The key look-ups after a rejected batch (KeyLookup): by each natural key, and the runs of the named stories.
        yield return ("KeyLookup.ByKey stories", KeyLookup<Story>.ByKeySql(Dialect, Tables.Stories, RunEngineTables.Stories.NaturalKey));
        yield return ("KeyLookup.ByKey cards", KeyLookup<Card>.ByKeySql(Dialect, Tables.Cards, RunEngineTables.Cards.NaturalKey));
        yield return ("KeyLookup.RunsOfParents", DapperListParameter().Replace(KeyLookup<Card>.RunsOfParentsSql(Dialect, Tables.Stories), "IN (@${name}1, @${name}2)"));

        var tables = InsertTexts(Stories.Table, RunEngineTables.Stories)
            .Concat(InsertTexts(Cards.Table, RunEngineTables.Cards))
            .Concat(InsertTexts(RunLog.Table, RunEngineTables.RunLog))
            .Concat(StagingTexts(Stories.Table, RunEngineTables.Stories))
            .Concat(StagingTexts(Cards.Table, RunEngineTables.Cards))
            .Concat(StagingTexts(RunLog.Table, RunEngineTables.RunLog))
            .Concat(StatusStagingTexts(new StatusChanges.StatusChangeTable(Stories, null, RunEventKinds.StoryStatusChanged)))
            .Concat(StatusStagingTexts(new StatusChanges.StatusChangeTable(null, Cards, RunEventKinds.CardStatusChanged)));
        foreach (var statement in tables)
        {
            yield return statement;
        }

        // The batch lease transitions at the sizes they are sent in (a chunk of 1 to MaxRowsPerCommand claims).
        foreach (var rows in new[] { 1, 2, SqlServer.SqlServerLeaseBatch.MaxRowsPerCommand })
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"LeaseBatch renew of {rows}"), SqlServerLeaseBatch.Text(rows, renew: true));
            yield return (string.Create(CultureInfo.InvariantCulture, $"LeaseBatch finish of {rows}"), SqlServerLeaseBatch.Text(rows, renew: false));
        }
    }

    /// <summary>The set-based status change of one table: create the stage, the small-batch INSERTs into it, the apply batch.</summary>
    private IEnumerable<(string Name, string Sql)> StatusStagingTexts(StatusChanges.StatusChangeTable table)
    {
        yield return ($"{table.Entity} status staging CreateText", SqlServerStatusStaging.CreateText(table));
        foreach (var rows in new SortedSet<int> { 1, 2, SqlServerStatusStaging.MaxRowsPerInsert })
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"{table.Entity}-status-stage INSERT of {rows} rows"), SqlServerStatusStaging.InsertText(table, rows));
        }

        yield return ($"{table.Entity} status staging ApplyText", SqlServerStatusStaging.ApplyText(table, Tables.RunLog));
        yield return ($"{table.Entity} status staging ApplyText in run", SqlServerStatusStaging.ApplyText(table, Tables.RunLog, inRun: true));
    }

    /// <summary>The staging path of one table: create, the small-batch INSERT into the temp table, and both final inserts.</summary>
    private IEnumerable<(string Name, string Sql)> StagingTexts<T>(string table, TableMap<T> map)
        where T : class
    {
        var entity = map.EntityName;
        yield return ($"{entity} staging CreateText", SqlServerStaging.CreateText(table, map));
        foreach (var (name, sql) in InsertTexts(SqlServerStaging.StageName(map), map))
        {
            yield return ($"{name} into staging", sql);
        }

        yield return ($"{entity} staging InsertMissingText", SqlServerStaging.InsertMissingText(table, map));
        yield return ($"{entity} staging InsertAllText", SqlServerStaging.InsertAllText(table, map));
    }

    private IEnumerable<(string Name, string Sql)> InsertTexts<T>(string table, TableMap<T> map)
        where T : class
    {
        var threshold = SqlServerOptions.SmallBatchThreshold;
        var sizes = new SortedSet<int> { 1, 2, Math.Max(1, threshold - 1), SqlServerInsert.MaxRowsPerStatement(map.Columns.Count) };
        foreach (var rows in sizes)
        {
            yield return (string.Create(CultureInfo.InvariantCulture, $"{map.EntityName} INSERT of {rows} rows"), SqlServerInsert.BuildText(table, map.Columns, rows));
        }
    }

    private static IEnumerable<(string Name, string Sql)> StringProperties(object owner, string ownerName)
    {
        foreach (var property in owner.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType == typeof(string) && property.GetIndexParameters().Length == 0 && !NotStatements.Contains(property.Name))
            {
                // A null text is a statement the provider does not have (ClaimStoriesLogged on SQL Server).
                if (property.GetValue(owner) is not string text)
                {
                    continue;
                }

                yield return ($"{ownerName}.{property.Name}", DapperListParameter().Replace(text, "IN (@${name}1, @${name}2)"));
            }
        }
    }

    [GeneratedRegex(@"IN @(?<name>\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex DapperListParameter();
}
