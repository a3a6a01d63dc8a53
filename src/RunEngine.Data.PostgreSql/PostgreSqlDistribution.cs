namespace RunEngine.Data.PostgreSql;

/// <summary>How the library's tables are laid out on the PostgreSQL server (<see cref="PostgreSqlOptions.Distribution"/>).</summary>
public enum PostgreSqlDistribution
{
    /// <summary>One server (the default): the tables are plain tables keyed by <c>id</c>.</summary>
    None = 0,

    /// <summary>
    /// Citus (distributed PostgreSQL): <see cref="RunEngineDatabase.EnsureSchemaAsync"/> keys stories, cards and the run
    /// log by <c>(run_id, id)</c> and distributes them by <c>run_id</c>, colocated, so each run lives on one shard; it
    /// fails when the <c>citus</c> extension is not installed in the database. See docs/scaling.md.
    /// </summary>
    Citus = 1,
}
