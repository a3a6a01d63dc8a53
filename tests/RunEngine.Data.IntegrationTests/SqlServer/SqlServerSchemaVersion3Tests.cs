using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerSchemaVersion3Tests(SqlServerFixture fixture) : SchemaVersion3Contract<SqlServerFixture>(fixture);
