namespace RunEngine.Data.PostgreSql;

/// <summary>
/// Options of a PostgreSQL database. Everything shared by all providers is in <see cref="RunEngineOptions"/>;
/// the default schema is <c>public</c>. Connection settings (pooling, timeouts, TLS) belong in the connection string or
/// in the <c>NpgsqlDataSource</c> handed to <see cref="PostgreSqlDatabase.Create(Npgsql.NpgsqlDataSource, PostgreSqlOptions?)"/>.
/// </summary>
public sealed class PostgreSqlOptions : RunEngineOptions
{
    /// <summary>
    /// How the tables are laid out: <see cref="PostgreSqlDistribution.None"/> (one server, the default) or
    /// <see cref="PostgreSqlDistribution.Citus"/> (distributed by run; see docs/scaling.md).
    /// </summary>
    public PostgreSqlDistribution Distribution { get; set; }
}
