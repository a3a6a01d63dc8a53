using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlSchemaVersion3Tests(PostgreSqlFixture fixture) : SchemaVersion3Contract<PostgreSqlFixture>(fixture);
