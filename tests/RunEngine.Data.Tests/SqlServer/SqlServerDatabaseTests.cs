using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.SqlServer;

public sealed class SqlServerDatabaseTests
{
    private const string ConnectionString = "Server=localhost;Database=runengine;Integrated Security=false;User ID=u;Password=p";

    [Fact]
    public async Task Create_ValidConnectionString_ReturnsSqlServerDatabaseWithoutConnecting()
    {
        await using var database = SqlServerDatabase.Create(ConnectionString);

        database.ProviderName.Should().Be("SQL Server");
        database.Provider.Tables.Stories.Should().Be("[dbo].[re_stories]");
        database.NewId().Version.Should().Be(7);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_EmptyConnectionString_Throws(string connectionString)
    {
        var create = () => SqlServerDatabase.Create(connectionString);

        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Create_NullConnectionString_ThrowsArgumentNull()
    {
        var create = () => SqlServerDatabase.Create(null!);

        create.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Create_MalformedConnectionString_ThrowsWithoutEchoingSecrets()
    {
        var create = () => SqlServerDatabase.Create("Server=x;Password=hunter2;NoSuchKeyword=1");

        create.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new SqlServerOptions();

        options.SmallBatchThreshold.Should().Be(50);
        options.CheckConstraints.Should().BeTrue();
        options.TablePrefix.Should().Be("re_");
        options.Schema.Should().BeNull();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(SqlServerOptions.MaxSmallBatchThreshold + 1)]
    public void Create_SmallBatchThresholdOutOfRange_ThrowsNamingTheOption(int threshold)
    {
        var create = () => SqlServerDatabase.Create(ConnectionString, new SqlServerOptions { SmallBatchThreshold = threshold });

        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(SqlServerOptions.SmallBatchThreshold));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SqlServerOptions.MaxSmallBatchThreshold)]
    public void Create_SmallBatchThresholdAtTheBounds_IsAccepted(int threshold)
    {
        var create = () => SqlServerDatabase.Create(ConnectionString, new SqlServerOptions { SmallBatchThreshold = threshold });

        create.Should().NotThrow();
    }

    [Fact]
    public void Create_InjectionInSchemaOption_ThrowsBeforeAnyConnection()
    {
        var create = () => SqlServerDatabase.Create(ConnectionString, new SqlServerOptions { Schema = "x];DROP TABLE y;--" });

        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Schema");
    }

    [Fact]
    public void Create_NegativeCommandTimeout_Throws()
    {
        var create = () => SqlServerDatabase.Create(ConnectionString, new SqlServerOptions { CommandTimeout = TimeSpan.FromSeconds(-1) });

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Create_UndefinedLeaseClock_Throws()
    {
        var create = () => SqlServerDatabase.Create(ConnectionString, new SqlServerOptions { LeaseClock = (LeaseClock)7 });

        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("LeaseClock");
    }
}
