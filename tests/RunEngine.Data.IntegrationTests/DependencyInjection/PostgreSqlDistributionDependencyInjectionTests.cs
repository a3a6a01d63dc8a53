using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.DependencyInjection;

/// <summary>
/// <c>RunEngineData:PostgreSql:Distribution</c> binds from configuration onto the PostgreSQL provider, code set in
/// <c>UsePostgreSql(configure)</c> wins, and an undefined value fails start-up with a message naming the setting.
/// No server is needed: the database object is built but never opened.
/// </summary>
public sealed class PostgreSqlDistributionDependencyInjectionTests
{
    private const string ConnectionString = "Host=127.0.0.1;Database=re_unused;Username=re;Password=di_secret_marker";

    [Theory]
    [InlineData("Citus", PostgreSqlDistribution.Citus)]
    [InlineData("citus", PostgreSqlDistribution.Citus)]
    [InlineData("None", PostgreSqlDistribution.None)]
    [InlineData(null, PostgreSqlDistribution.None)]
    public async Task AddRunEngineData_DistributionFromConfiguration_ReachesTheProvider(string? configured, PostgreSqlDistribution expected)
    {
        await using var provider = Build(new Dictionary<string, string?>
        {
            ["RunEngineData:ConnectionString"] = ConnectionString,
            ["RunEngineData:PostgreSql:Distribution"] = configured,
        });

        var database = provider.GetRequiredService<RunEngineDatabase>();

        var postgres = database.Provider.Should().BeOfType<PostgreSqlProvider>().Which;
        postgres.Distribution.Should().Be(expected);
        postgres.IsDistributed.Should().Be(expected == PostgreSqlDistribution.Citus);
        ((PostgreSqlOptions)postgres.Options).Distribution.Should().Be(expected);
    }

    [Fact]
    public async Task AddRunEngineData_DistributionInCode_WinsOverConfiguration()
    {
        await using var provider = Build(
            new Dictionary<string, string?>
            {
                ["RunEngineData:ConnectionString"] = ConnectionString,
                ["RunEngineData:PostgreSql:Distribution"] = "Citus",
            },
            o => o.Distribution = PostgreSqlDistribution.None);

        ((PostgreSqlProvider)provider.GetRequiredService<RunEngineDatabase>().Provider).IsDistributed.Should().BeFalse();
    }

    [Theory]
    [InlineData("Spread")]
    [InlineData("1")]
    [InlineData("")]
    public async Task StartAsync_UndefinedDistribution_FailsWithClearMessage(string configured)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RunEngineData:ConnectionString"] = ConnectionString,
            ["RunEngineData:PostgreSql:Distribution"] = configured,
        }).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<RunEngineDataOptions>(configuration.GetSection("RunEngineData"));
        builder.Services.AddRunEngineData(o => o.UsePostgreSql());
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("RunEngineData:PostgreSql:Distribution").And.Contain("must be None or Citus")
            .And.NotContain("di_secret_marker").And.NotContain("(Parameter");
    }

    [Fact]
    public async Task StartAsync_UndefinedDistributionInCode_FailsWithClearMessage()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRunEngineData(o => o.UsePostgreSql(ConnectionString, p => p.Distribution = (PostgreSqlDistribution)7));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("Distribution must be None or Citus");
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<PostgreSqlOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.Configure<RunEngineDataOptions>(configuration.GetSection("RunEngineData"));
        services.AddRunEngineData(o => o.UsePostgreSql(configure: configure));
        return services.BuildServiceProvider();
    }
}
