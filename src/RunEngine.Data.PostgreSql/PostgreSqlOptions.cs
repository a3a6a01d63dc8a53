namespace RunEngine.Data.PostgreSql;

/// <summary>
/// Options of a PostgreSQL database. Everything shared by all providers is in <see cref="RunEngineOptions"/>;
/// the default schema is <c>public</c>. Connection settings (pooling, timeouts, TLS) belong in the connection string or
/// in the <c>NpgsqlDataSource</c> handed to <see cref="PostgreSqlDatabase.Create(Npgsql.NpgsqlDataSource, PostgreSqlOptions?)"/>.
/// </summary>
public sealed class PostgreSqlOptions : RunEngineOptions
{
}
