using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedSchemaVersion3Tests(PostgreSqlRunKeyedFixture fixture) : SchemaVersion3Contract<PostgreSqlRunKeyedFixture>(fixture);
