using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace RunEngine.Data.IntegrationTests.DependencyInjection;

/// <summary>The retry options through <c>AddRunEngineData</c>: bound from configuration, validated at start-up, a pipeline from code or the container.</summary>
public sealed class RetryOptionsDependencyInjectionTests
{
    private static string MemoryConnectionString() => $"Data Source=re_retry_di_{Guid.NewGuid():N};Mode=Memory;Cache=Shared";

    [Fact]
    public async Task AddRunEngineData_RetryBoundFromConfiguration_ReachesTheDatabase()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RunEngineData:ConnectionString"] = MemoryConnectionString(),
            ["RunEngineData:Retry:Enabled"] = "true",
            ["RunEngineData:Retry:MaxRetries"] = "7",
            ["RunEngineData:Retry:BaseDelay"] = "00:00:00.050",
            ["RunEngineData:Retry:MaxDelay"] = "00:00:03",
            ["RunEngineData:Retry:Timeout"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection();
        services.Configure<RunEngineDataOptions>(configuration.GetSection("RunEngineData"));
        services.AddRunEngineData(o => o.UseSqlite());
        await using var provider = services.BuildServiceProvider();

        var retry = provider.GetRequiredService<RunEngineDatabase>().Provider.Retry;

        retry.Options.Should().BeEquivalentTo(new RetryOptions
        {
            MaxRetries = 7, BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromMinutes(1),
        });
        retry.IsCustom.Should().BeFalse();
    }

    [Fact]
    public async Task AddRunEngineData_NoRetrySection_KeepsTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddRunEngineData(o => o.UseSqlite(MemoryConnectionString()));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<RunEngineDatabase>().Provider.Retry.Options.Should().BeEquivalentTo(new RetryOptions());
    }

    [Fact]
    public async Task AddRunEngineData_RetryOutOfRange_FailsAtStartNamingTheOption()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRunEngineData(o =>
        {
            o.UseSqlite(MemoryConnectionString());
            o.Retry = new RetryOptions { MaxRetries = 1_000 };
        });
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("RunEngineData:Retry.MaxRetries must be from 0 to 100");
    }

    [Fact]
    public async Task AddRunEngineData_RetryPipelineKey_UsesThePipelineRegisteredInTheContainer()
    {
        var registry = new ResiliencePipelineRegistry<string>();
        var pipeline = registry.GetOrAddPipeline("runengine", b => b.AddTimeout(TimeSpan.FromMinutes(1)));
        var services = new ServiceCollection();
        services.AddSingleton<ResiliencePipelineProvider<string>>(registry);
        services.AddRunEngineData(o =>
        {
            o.UseSqlite(MemoryConnectionString());
            o.RetryPipelineKey = "runengine";
        });
        await using var provider = services.BuildServiceProvider();

        var database = provider.GetRequiredService<RunEngineDatabase>();

        database.Provider.Options.RetryPipeline.Should().BeSameAs(pipeline);
        database.Provider.Retry.IsCustom.Should().BeTrue();
        await database.EnsureSchemaAsync();
    }

    [Fact]
    public async Task AddRunEngineData_RetryPipelineInCode_ReplacesTheBuiltOne()
    {
        var pipeline = new ResiliencePipelineBuilder().Build();
        var services = new ServiceCollection();
        services.AddRunEngineData(o =>
        {
            o.UseSqlite(MemoryConnectionString());
            o.RetryPipeline = pipeline;
        });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<RunEngineDatabase>().Provider.Options.RetryPipeline.Should().BeSameAs(pipeline);
    }
}
