using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedSchemaTests(PostgreSqlRunKeyedFixture fixture) : SchemaContract<PostgreSqlRunKeyedFixture>(fixture);
