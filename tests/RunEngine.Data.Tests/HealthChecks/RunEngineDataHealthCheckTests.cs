using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RunEngine.Data.HealthChecks;
using RunEngine.Data.Schema;

namespace RunEngine.Data.Tests.HealthChecks;

/// <summary>
/// The health check over a fake probe (no database): which status and description each reading gives, that a read
/// which never answers is cut by the timeout (whether or not it honours its token), that the caller's token cancels
/// the check, and that nothing of a driver's message reaches the description.
/// </summary>
public class RunEngineDataHealthCheckTests
{
    private const int Expected = 3;

    [Fact]
    public async Task CheckHealthAsync_VersionIsTheLibrarys_HealthyWithProviderAndVersions()
    {
        var result = await CheckAsync(_ => Task.FromResult(new SchemaVersionReading(Expected, TableMissing: false)));

        result.Status.Should().Be(HealthStatus.Healthy);
        result.Description.Should().Contain("PostgreSQL").And.Contain("version 3");
        result.Data.Should().Contain("provider", "PostgreSQL").And.Contain("schema", "runs").And.Contain("tablePrefix", "re_")
            .And.Contain("schemaVersion", Expected).And.Contain("expectedSchemaVersion", Expected);
        result.Exception.Should().BeNull();
    }

    [Fact]
    public async Task CheckHealthAsync_VersionOlder_FailureStatusNamingBothVersions()
    {
        var result = await CheckAsync(_ => Task.FromResult(new SchemaVersionReading(2, TableMissing: false)));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("version 2, older than this library's version 3").And.Contain("EnsureSchemaAsync");
        result.Data.Should().Contain("schemaVersion", 2).And.Contain("expectedSchemaVersion", Expected);
    }

    [Fact]
    public async Task CheckHealthAsync_NoRecordedVersion_OlderAtVersionZero()
    {
        var result = await CheckAsync(_ => Task.FromResult(new SchemaVersionReading(0, TableMissing: false)));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("version 0, older than this library's version 3");
    }

    [Fact]
    public async Task CheckHealthAsync_VersionTableMissing_OlderSayingTheTablesWereNeverCreated()
    {
        var result = await CheckAsync(_ => Task.FromResult(new SchemaVersionReading(0, TableMissing: true)));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("no re_schema_version table").And.Contain("version 0, older than this library's version 3")
            .And.Contain("never created");
        result.Data.Should().Contain("schemaVersion", 0);
    }

    [Fact]
    public async Task CheckHealthAsync_VersionNewer_FailureStatusNamingBothVersions()
    {
        var result = await CheckAsync(_ => Task.FromResult(new SchemaVersionReading(4, TableMissing: false)));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("version 4, newer than this library's version 3").And.Contain("Upgrade the library");
    }

    [Fact]
    public async Task CheckHealthAsync_FailureStatusDegraded_ReportsFailuresAsDegraded()
    {
        var result = await CheckAsync(_ => Task.FromResult(new SchemaVersionReading(4, TableMissing: false)), failureStatus: HealthStatus.Degraded);

        result.Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task CheckHealthAsync_ReadThrows_FailureWithTheExceptionAttachedAndNoDriverMessage()
    {
        var driverError = new InvalidOperationException("Failed to connect to db.internal:5432 with Password=hunter2");

        var result = await CheckAsync(_ => Task.FromException<SchemaVersionReading>(driverError));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Exception.Should().BeSameAs(driverError);
        result.Description.Should().Contain("could not be reached").And.Contain(nameof(InvalidOperationException))
            .And.NotContain("hunter2").And.NotContain("db.internal");
        result.Data.Should().NotContainKey("schemaVersion").And.Contain("expectedSchemaVersion", Expected);
    }

    [Fact]
    public async Task CheckHealthAsync_ReadThrowsSynchronously_FailureNotAThrownCheck()
    {
        var result = await CheckAsync(_ => throw new InvalidOperationException("thrown before any task"));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Exception.Should().BeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task CheckHealthAsync_ReadHonouringItsTokenNeverAnswers_FailureAfterTheTimeout()
    {
        var result = await CheckAsync(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new SchemaVersionReading(Expected, false);
        }, timeout: TimeSpan.FromMilliseconds(50));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("did not answer within 0.05 s");
    }

    [Fact]
    public async Task CheckHealthAsync_ReadIgnoringItsTokenNeverAnswers_FailureAfterTheTimeout()
    {
        var never = new TaskCompletionSource<SchemaVersionReading>();

        var result = await CheckAsync(_ => never.Task, timeout: TimeSpan.FromMilliseconds(50));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("did not answer");
        never.SetException(new InvalidOperationException("late failure of the abandoned read"));
    }

    [Fact]
    public async Task CheckHealthAsync_ReadBlocksItsThread_FailureAfterTheTimeout()
    {
        using var release = new ManualResetEventSlim();

        // A synchronous driver (SQLite) blocks the calling thread: the check must not be that thread.
        var check = CheckAsync(_ =>
        {
            release.Wait(TimeSpan.FromSeconds(30), CancellationToken.None);
            return Task.FromResult(new SchemaVersionReading(Expected, false));
        }, timeout: TimeSpan.FromMilliseconds(50));
        var result = await check;
        release.Set();

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("did not answer");
    }

    [Fact]
    public async Task CheckHealthAsync_CallerCancels_Throws()
    {
        using var caller = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = CheckAsync(async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new SchemaVersionReading(Expected, false);
        }, timeout: Timeout.InfiniteTimeSpan, cancellationToken: caller.Token);
        await started.Task;

        await caller.CancelAsync();

        await check.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task CheckHealthAsync_NoDatabase_FailureSayingHowToRegisterOne()
    {
        var check = new RunEngineDataHealthCheck(() => null, TimeSpan.FromSeconds(1));

        var result = await check.CheckHealthAsync(Context(check, HealthStatus.Unhealthy));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("No RunEngineDatabase is registered").And.Contain("AddRunEngineData");
    }

    [Fact]
    public async Task CheckHealthAsync_DatabaseOptionsInvalid_FailureWithTheValidatorsMessage()
    {
        var invalid = new OptionsValidationException("", typeof(RunEngineDataOptions), ["RunEngineData:ConnectionString is missing."]);
        var check = new RunEngineDataHealthCheck(() => throw invalid, TimeSpan.FromSeconds(1));

        var result = await check.CheckHealthAsync(Context(check, HealthStatus.Unhealthy));

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("could not be created").And.Contain("RunEngineData:ConnectionString is missing.");
        result.Exception.Should().BeSameAs(invalid);
    }

    private static Task<HealthCheckResult> CheckAsync(
        Func<CancellationToken, Task<SchemaVersionReading>> read,
        HealthStatus failureStatus = HealthStatus.Unhealthy,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var target = new HealthProbeTarget("PostgreSQL", "runs", "re_", Expected, read);
        var check = new RunEngineDataHealthCheck(() => target, timeout ?? TimeSpan.FromSeconds(30));
        return check.CheckHealthAsync(Context(check, failureStatus), cancellationToken);
    }

    private static HealthCheckContext Context(IHealthCheck check, HealthStatus failureStatus) =>
        new() { Registration = new HealthCheckRegistration("test", check, failureStatus, tags: null) };
}
