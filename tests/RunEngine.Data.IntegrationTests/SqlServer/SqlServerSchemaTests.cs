using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerSchemaTests(SqlServerFixture fixture) : SchemaContract<SqlServerFixture>(fixture);
