using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlSchemaTests(PostgreSqlFixture fixture) : SchemaContract<PostgreSqlFixture>(fixture);
