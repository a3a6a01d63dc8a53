using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RunEngine.Data.IntegrationTests.Diagnostics;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.DependencyInjection;

/// <summary>
/// <c>AddRunEngineData</c> with SQLite: what it registers, what it takes from the container, how configuration binds,
/// and what start-up validation says (never the connection string).
/// </summary>
public sealed class AddRunEngineDataTests
{
    private const string Secret = "di_secret_marker";

    private static string MemoryConnectionString() => $"Data Source={Secret}_{Guid.NewGuid():N};Mode=Memory;Cache=Shared";

    [Fact]
    public async Task AddRunEngineData_UseSqlite_ResolvesOneDatabaseAndItsRepositories()
    {
        var services = new ServiceCollection();
        services.AddRunEngineData(o => o.UseSqlite(MemoryConnectionString()));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var database = provider.GetRequiredService<RunEngineDatabase>();
        await database.EnsureSchemaAsync();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await provider.GetRequiredService<IStoryRepository>().AddRangeAsync([story]);

        database.ProviderName.Should().Be("SQLite");
        provider.GetRequiredService<RunEngineDatabase>().Should().BeSameAs(database, "the database is a singleton");
        provider.GetRequiredService<IStoryRepository>().Should().BeSameAs(database.Stories);
        provider.GetRequiredService<ICardRepository>().Should().BeSameAs(database.Cards);
        provider.GetRequiredService<IStoryClaims>().Should().BeSameAs(database.Claims);
        provider.GetRequiredService<IRunLog>().Should().BeSameAs(database.RunLog);
        (await database.Stories.GetAsync(story.Id)).Should().NotBeNull();
    }

    [Fact]
    public async Task AddRunEngineData_TimeProviderAndLoggerFactoryInContainer_DatabaseUsesThem()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddRunEngineData(o => o.UseSqlite(MemoryConnectionString()));
        await using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<RunEngineDatabase>();
        await database.EnsureSchemaAsync();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await database.Stories.AddRangeAsync([story]);

        (await database.Stories.GetAsync(story.Id))!.CreatedAt.Should().Be(clock.GetUtcNow());
        logs.WithId(1000).Should().NotBeEmpty("schema scripts are logged through the container's logger factory");
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(clock, "a registered clock is not replaced");
    }

    [Fact]
    public async Task AddRunEngineData_OptionsBoundFromConfiguration_UsesConnectionStringAndPrefix()
    {
        var file = Path.Combine(Path.GetTempPath(), $"re-di-{Guid.NewGuid():N}.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RunEngineData:ConnectionString"] = $"Data Source={file};Pooling=False",
            ["RunEngineData:TablePrefix"] = "cfg_",
            ["RunEngineData:CommandTimeout"] = "00:00:45",
        }).Build();
        var services = new ServiceCollection();
        services.Configure<RunEngineDataOptions>(configuration.GetSection("RunEngineData"));
        services.AddRunEngineData(o => o.UseSqlite());
        try
        {
            await using (var provider = services.BuildServiceProvider())
            {
                provider.GetRequiredService<IOptions<RunEngineDataOptions>>().Value.CommandTimeout.Should().Be(TimeSpan.FromSeconds(45));
                await provider.GetRequiredService<RunEngineDatabase>().EnsureSchemaAsync();
            }

            await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'cfg_stories'";
            (await command.ExecuteScalarAsync()).Should().Be(1L, "the prefix from configuration names the tables");
        }
        finally
        {
            foreach (var path in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
            {
                File.Delete(path);
            }
        }
    }

    [Theory]
    [InlineData("host", LeaseClock.Host)]
    [InlineData("Database", LeaseClock.Database)]
    [InlineData(null, LeaseClock.Database)]
    public async Task AddRunEngineData_LeaseClockFromConfiguration_ReachesTheDatabase(string? configured, LeaseClock expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RunEngineData:ConnectionString"] = MemoryConnectionString(),
            ["RunEngineData:LeaseClock"] = configured,
        }).Build();
        var services = new ServiceCollection();
        services.Configure<RunEngineDataOptions>(configuration.GetSection("RunEngineData"));
        services.AddRunEngineData(o => o.UseSqlite());
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<RunEngineDatabase>().Provider.Options.LeaseClock.Should().Be(expected);
    }

    [Fact]
    public async Task StartAsync_UndefinedLeaseClock_FailsWithClearMessage()
    {
        var error = await StartFailure(o =>
        {
            o.UseSqlite(MemoryConnectionString());
            o.LeaseClock = (LeaseClock)7;
        });

        error.Message.Should().Contain("RunEngineData:LeaseClock must be Database or Host");
    }

    [Fact]
    public async Task AddRunEngineData_SeveralProviders_ConfigurationPicksOne()
    {
        var services = new ServiceCollection();
        services.AddRunEngineData(o =>
        {
            o.UseSqlServer("Server=localhost;Database=unused");
            o.UseSqlite(MemoryConnectionString());
            o.Provider = "sqlite";
        });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<RunEngineDatabase>().ProviderName.Should().Be("SQLite");
    }

    [Fact]
    public async Task AddRunEngineData_UseSqlServer_CreatesTheDatabaseWithoutConnecting()
    {
        var services = new ServiceCollection();
        services.AddRunEngineData(o => o.UseSqlServer("Server=127.0.0.1,1;Database=unused;Connect Timeout=1", sql => sql.SmallBatchThreshold = 10));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<RunEngineDatabase>().ProviderName.Should().Be("SQL Server", "creating the database opens no connection");
    }

    [Fact]
    public async Task AddRunEngineData_UsePostgreSqlWithContainersDataSource_LeavesItToTheContainerOwner()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=unused");
        var services = new ServiceCollection();
        services.AddSingleton(dataSource);
        services.AddRunEngineData(o => o.UsePostgreSql(sp => sp.GetRequiredService<NpgsqlDataSource>()));

        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<RunEngineDatabase>().ProviderName.Should().Be("PostgreSQL");
        }

        // The container registered the instance but did not create it, and the database must not dispose it either:
        // opening still reaches the network (nothing listens on port 1) instead of failing as disposed.
        var open = async () =>
        {
            await using var connection = dataSource.CreateConnection();
            await connection.OpenAsync();
        };
        (await open.Should().ThrowAsync<Exception>()).Which.Should().NotBeOfType<ObjectDisposedException>("the host owns the data source");
    }

    [Fact]
    public async Task StartAsync_MissingConnectionString_FailsWithClearMessage()
    {
        var error = await StartFailure(o => o.UseSqlite());

        error.Message.Should().Contain("RunEngineData:ConnectionString is missing").And.Contain("UseSqlite");
    }

    [Fact]
    public async Task StartAsync_BadTablePrefix_FailsWithClearMessageWithoutConnectionString()
    {
        var error = await StartFailure(o =>
        {
            o.UseSqlite(MemoryConnectionString());
            o.TablePrefix = "bad-prefix";
        });

        error.Message.Should().Contain("RunEngineData:TablePrefix must start with a letter or underscore");
        error.Message.Should().NotContain(Secret);
    }

    [Fact]
    public async Task StartAsync_NoProvider_SaysWhichMethodToCall()
    {
        var error = await StartFailure(o => o.ConnectionString = "Data Source=x.db");

        error.Message.Should().Contain("No RunEngine.Data provider is configured").And.Contain("UseSqlServer");
    }

    [Fact]
    public async Task StartAsync_UnparsableConnectionString_FailsWithoutRepeatingIt()
    {
        var error = await StartFailure(o => o.UseSqlite($"{Secret}=1;Password=hunter2"));

        error.Message.Should().Contain("cannot be parsed as an SQLite connection string");
        error.Message.Should().NotContain(Secret).And.NotContain("hunter2");
    }

    [Fact]
    public async Task StartAsync_ProviderOptionOutOfRange_ReportsTheOption()
    {
        var error = await StartFailure(o => o.UseSqlite(MemoryConnectionString(), sqlite => sqlite.BusyTimeout = TimeSpan.FromSeconds(-1)));

        error.Message.Should().Contain("BusyTimeout");
    }

    [Fact]
    public void AddRunEngineData_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        ((Action)(() => RunEngineDataServiceCollectionExtensions.AddRunEngineData(null!, _ => { }))).Should().Throw<ArgumentNullException>();
        ((Action)(() => services.AddRunEngineData(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => new RunEngineDataOptions().UseDatabase(null!))).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void AddRunEngineData_RepositoryAlreadyRegistered_KeepsIt()
    {
        var mine = new ServiceDescriptor(typeof(IStoryRepository), _ => null!, ServiceLifetime.Singleton);
        IServiceCollection services = new ServiceCollection();
        services.Add(mine);

        services.AddRunEngineData(o => o.UseSqlite(MemoryConnectionString()));

        services.Where(d => d.ServiceType == typeof(IStoryRepository)).Should().ContainSingle().Which.Should().BeSameAs(mine);
        services.Should().ContainSingle(d => d.ServiceType == typeof(RunEngineDatabase)).Which.Lifetime.Should().Be(ServiceLifetime.Singleton);
    }

    private static async Task<OptionsValidationException> StartFailure(Action<RunEngineDataOptions> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRunEngineData(configure);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        return (await start.Should().ThrowAsync<OptionsValidationException>("ValidateOnStart checks the options when the host starts")).Which;
    }
}
