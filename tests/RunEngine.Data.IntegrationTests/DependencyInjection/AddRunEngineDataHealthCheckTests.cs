using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace RunEngine.Data.IntegrationTests.DependencyInjection;

/// <summary>
/// <c>services.AddHealthChecks().AddRunEngineData()</c> with the database <c>AddRunEngineData</c> registers (SQLite in
/// memory): the registration's name, tags and failure status; the check resolves the registered database; without one,
/// or with invalid options, the check reports its failure status and says why instead of failing the whole report.
/// </summary>
public class AddRunEngineDataHealthCheckTests
{
    [Fact]
    public void AddRunEngineData_Defaults_OneRegistrationNamedRunEngineDataUnhealthyOnFailure()
    {
        var services = new ServiceCollection();

        services.AddHealthChecks().AddRunEngineData();

        using var provider = services.BuildServiceProvider();
        var registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Should().ContainSingle().Subject;
        registration.Name.Should().Be("RunEngine.Data");
        registration.FailureStatus.Should().Be(HealthStatus.Unhealthy);
        registration.Tags.Should().BeEmpty();
    }

    [Fact]
    public void AddRunEngineData_NameTagsAndFailureStatus_Registered()
    {
        var services = new ServiceCollection();

        services.AddHealthChecks().AddRunEngineData(name: "runs-db", failureStatus: HealthStatus.Degraded, tags: ["ready", "db"]);

        using var provider = services.BuildServiceProvider();
        var registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Should().ContainSingle().Subject;
        registration.Name.Should().Be("runs-db");
        registration.FailureStatus.Should().Be(HealthStatus.Degraded);
        registration.Tags.Should().BeEquivalentTo("ready", "db");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void AddRunEngineData_TimeoutNotPositive_Throws(int milliseconds)
    {
        var builder = new ServiceCollection().AddHealthChecks();

        var act = () => builder.AddRunEngineData(timeout: TimeSpan.FromMilliseconds(milliseconds));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout");
    }

    [Fact]
    public void AddRunEngineData_InfiniteTimeout_Accepted()
    {
        var builder = new ServiceCollection().AddHealthChecks();

        builder.Invoking(b => b.AddRunEngineData(timeout: Timeout.InfiniteTimeSpan)).Should().NotThrow();
    }

    [Fact]
    public async Task CheckHealthAsync_RegisteredSqliteDatabase_HealthyAfterEnsureSchema()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRunEngineData(o => o.UseSqlite($"Data Source=re_hc_{Guid.NewGuid():N};Mode=Memory;Cache=Shared"));
        services.AddHealthChecks().AddRunEngineData();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync();
        await provider.GetRequiredService<RunEngineDatabase>().EnsureSchemaAsync();
        var after = await health.CheckHealthAsync();

        before.Status.Should().Be(HealthStatus.Unhealthy);
        before.Entries["RunEngine.Data"].Description.Should().Contain("never created");
        after.Status.Should().Be(HealthStatus.Healthy);
        after.Entries["RunEngine.Data"].Data["provider"].Should().Be("SQLite");
    }

    [Fact]
    public async Task CheckHealthAsync_NoDatabaseRegistered_UnhealthySayingToCallAddRunEngineData()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddRunEngineData();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.Should().Be(HealthStatus.Unhealthy);
        report.Entries["RunEngine.Data"].Description.Should().Contain("No RunEngineDatabase is registered").And.Contain("AddRunEngineData");
    }

    [Fact]
    public async Task CheckHealthAsync_OptionsInvalid_UnhealthyWithTheValidatorsMessageAndNoConnectionString()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRunEngineData(o => o.UseSqlite("Data Source=secret-file.db").TablePrefix = "bad-prefix!");
        services.AddHealthChecks().AddRunEngineData();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["RunEngine.Data"];
        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("could not be created").And.Contain("TablePrefix").And.NotContain("secret-file");
        entry.Exception.Should().BeOfType<OptionsValidationException>();
    }
}
