using Npgsql;
using RunEngine.Data.Bulk;
using RunEngine.Data.PostgreSql.Bulk;
using RunEngine.Data.PostgreSql.Schema;
using RunEngine.Data.Providers;
using RunEngine.Data.Schema;

namespace RunEngine.Data.PostgreSql;

/// <summary>The PostgreSQL provider: binary COPY for bulk inserts, advisory-locked migrations, SQLSTATE classification.</summary>
internal sealed class PostgreSqlProvider : DatabaseProvider
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    public PostgreSqlProvider(PostgreSqlOptions options, NpgsqlDataSource dataSource, bool ownsDataSource)
        : base(options, PostgreSqlDialect.Instance)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        BulkWriter = new PostgreSqlBulkWriter(PostgreSqlDialect.Instance, options.TimeProvider);
        Schema = new PostgreSqlSchemaDefinition(Tables);
    }

    public override string Name => "PostgreSQL";

    public override IBulkWriter BulkWriter { get; }

    public override SchemaDefinition Schema { get; }

    public override ConnectionSource CreateConnectionSource() => new PostgreSqlConnectionSource(_dataSource, _ownsDataSource);

    public override DbErrorKind Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres.SqlState switch
                {
                    PostgresErrorCodes.UniqueViolation => DbErrorKind.UniqueViolation,
                    PostgresErrorCodes.ForeignKeyViolation => DbErrorKind.ForeignKeyViolation,
                    _ => DbErrorKind.Other,
                };
            }
        }

        return DbErrorKind.Other;
    }
}
