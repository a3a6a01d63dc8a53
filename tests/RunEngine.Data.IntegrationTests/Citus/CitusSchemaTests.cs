using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusSchemaTests(CitusFixture fixture) : SchemaContract<CitusFixture>(fixture);
