using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.Tests.Resilience;

/// <summary>The retry engine with a fake body: attempts, commit-sent hand-over, giving up, what is never retried, telemetry.</summary>
public sealed class OperationRetryTests
{
    private readonly CapturingLogger _logger = new();

    [Fact]
    public async Task RunAsync_TransientThenSuccess_NumbersTheAttemptsAndReturnsTheResult()
    {
        var retry = Engine();
        var seen = new List<(int Number, bool IsRetry, bool Earlier)>();

        var result = await retry.RunAsync(new FakeScopes(retryable: true), "op", (attempt, _) =>
        {
            seen.Add((attempt.Number, attempt.IsRetry, attempt.EarlierMayHaveCommitted));
            return attempt.Number < 3 ? throw new FakeTransientException("broken") : Task.FromResult(42);
        }, CancellationToken.None);

        result.Should().Be(42);
        seen.Should().Equal((1, false, false), (2, true, false), (3, true, false));
    }

    [Fact]
    public async Task RunAsync_FailureAfterCommitSent_TellsTheNextAttemptEarlierMayHaveCommitted()
    {
        var retry = Engine();
        var earlier = new List<bool>();

        await retry.RunAsync(new FakeScopes(true), "op", (attempt, _) =>
        {
            earlier.Add(attempt.EarlierMayHaveCommitted);
            if (attempt.Number == 1)
            {
                attempt.MarkCommitSent();
                throw new FakeTransientException("reply lost");
            }

            if (attempt.Number == 2)
            {
                throw new FakeTransientException("the check could not run");
            }

            return Task.FromResult(0);
        }, CancellationToken.None);

        earlier.Should().Equal([false, true, true], "an unknown outcome stays unknown until a body resolves it");
    }

    [Fact]
    public async Task RunAsync_AlwaysTransient_GivesUpAfterMaxRetriesWithTheLastDriverError()
    {
        var retry = Engine(maxRetries: 3);
        var attempts = 0;
        FakeTransientException? last = null;

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "write_cycle", (attempt, _) =>
        {
            attempts++;
            throw last = new FakeTransientException($"failure {attempt.Number}");
        }, CancellationToken.None);

        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which;
        attempts.Should().Be(4);
        fault.Attempts.Should().Be(4);
        fault.Operation.Should().Be("write_cycle");
        fault.InnerException.Should().BeSameAs(last);
        fault.Message.Should().Contain("after 4 attempts").And.Contain("nothing of it was committed");
    }

    [Fact]
    public async Task RunAsync_LastAttemptSentItsCommit_GivesUpWithCommitOutcomeUnknown()
    {
        var retry = Engine(maxRetries: 1);

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "write_cycle", (attempt, _) =>
        {
            attempt.MarkCommitSent();
            throw new FakeTransientException("reply lost");
        }, CancellationToken.None);

        (await act.Should().ThrowExactlyAsync<CommitOutcomeUnknownException>()).Which.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task RunAsync_LaterAttemptFoundTheEarlierChangeNotStored_GivesUpWithAPlainTransientFault()
    {
        var retry = Engine(maxRetries: 1);

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (attempt, _) =>
        {
            if (attempt.Number == 1)
            {
                attempt.MarkCommitSent();
            }
            else
            {
                attempt.MarkEarlierNotStored();
            }

            throw new FakeTransientException("broken");
        }, CancellationToken.None);

        await act.Should().ThrowExactlyAsync<TransientFaultException>();
    }

    [Fact]
    public async Task RunAsync_NonTransientError_IsNotRetriedAndKeepsItsType()
    {
        var retry = Engine();
        var attempts = 0;

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (_, _) =>
        {
            attempts++;
            throw new BatchValidationException("Story", 2, "Title", "is too long");
        }, CancellationToken.None);

        await act.Should().ThrowExactlyAsync<BatchValidationException>();
        attempts.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_CallerCancelled_IsNotRetriedAndNotWrapped()
    {
        var retry = Engine();
        using var cancellation = new CancellationTokenSource();
        var attempts = 0;

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (_, _) =>
        {
            attempts++;
            cancellation.Cancel();
            throw new FakeTransientException("the driver reports the cancelled command as a broken one");
        }, cancellation.Token);

        await act.Should().ThrowExactlyAsync<FakeTransientException>();
        attempts.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_NotRetryableScopes_RunsOnceAndSurfacesATransientFaultOfOneAttempt()
    {
        var retry = Engine();
        var attempts = 0;

        var act = () => retry.RunAsync<int>(new FakeScopes(retryable: false), "get", (_, _) =>
        {
            attempts++;
            throw new FakeTransientException("broken");
        }, CancellationToken.None);

        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which;
        attempts.Should().Be(1);
        fault.Attempts.Should().Be(1);
        fault.Message.Should().Contain("session");
    }

    [Fact]
    public async Task RunAsync_RetryDisabled_RunsEachBodyOnce()
    {
        var retry = Engine(enabled: false);
        var attempts = 0;

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (_, _) =>
        {
            attempts++;
            throw new FakeTransientException("broken");
        }, CancellationToken.None);

        (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which.Message.Should().Contain("retry is off");
        attempts.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_BodyMarkedNotRepeatable_IsNotRunAgain()
    {
        var retry = Engine();
        var attempts = 0;

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "bulk_insert", (attempt, _) =>
        {
            attempts++;
            attempt.MarkNotRepeatable();
            throw new FakeTransientException("broken after a lazy row was taken");
        }, CancellationToken.None);

        (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which.Message.Should().Contain("cannot be repeated");
        attempts.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_TimeBoundReached_GivesUpBeforeTheRetriesRunOut()
    {
        var clock = new ManualClock();
        var retry = Engine(maxRetries: 100, timeout: TimeSpan.FromSeconds(10), clock: clock);
        var attempts = 0;

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (_, _) =>
        {
            attempts++;
            clock.Advance(TimeSpan.FromSeconds(4));
            throw new FakeTransientException("stalled");
        }, CancellationToken.None);

        (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which.Message.Should().Contain("Retry.Timeout");
        attempts.Should().Be(3, "at 4 s and 8 s of 10 a retry starts; at 12 s none does");
    }

    [Fact]
    public async Task RunAsync_HostPipeline_IsUsedAndNeverRunsAgainWhatCannotBeRepeated()
    {
        var retried = 0;
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 5,
                Delay = TimeSpan.Zero,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is not null),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref retried);
                    return default;
                },
            })
            .Build();
        var retry = Engine(pipeline: pipeline);
        var attempts = 0;

        var ok = await retry.RunAsync(new FakeScopes(true), "op", (attempt, _) =>
            ++attempts < 2 ? throw new FakeTransientException("once") : Task.FromResult(attempt.Number), CancellationToken.None);
        ok.Should().Be(2);

        attempts = 0;
        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (attempt, _) =>
        {
            attempts++;
            attempt.MarkNotRepeatable();
            throw new FakeTransientException("lazy input taken");
        }, CancellationToken.None);

        await act.Should().ThrowExactlyAsync<TransientFaultException>();
        attempts.Should().Be(1, "the host's pipeline retried, but the body was not run again");
        retried.Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task RunAsync_Retry_IsCountedTracedAndLoggedWithoutTheErrorMessage()
    {
        var operation = "unit_" + Guid.NewGuid().ToString("N");
        var retries = new ConcurrentQueue<KeyValuePair<string, object?>[]>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RunEngineTelemetry.MeterName && instrument.Name == "runengine.retries")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var copy = tags.ToArray();
            if (copy.Any(t => t.Key == "db.operation.name" && Equals(t.Value, operation)))
            {
                retries.Enqueue(copy);
            }
        });
        meters.Start();
        using var source = new ActivitySource("RunEngine.Data.Tests.Retry");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var retry = Engine();

        using (var span = source.StartActivity("operation")!)
        {
            await retry.RunAsync(new FakeScopes(true), operation, (attempt, _) =>
                attempt.Number == 1 ? throw new FakeTransientException("Password=secret;Host=db") : Task.FromResult(1), CancellationToken.None);

            span.Events.Should().ContainSingle(e => e.Name == "runengine.retry")
                .Which.Tags.Should().Contain(new KeyValuePair<string, object?>("runengine.retry.attempt", 2));
        }

        retries.Should().ContainSingle().Which.Should().Contain(new KeyValuePair<string, object?>("runengine.retry.reason", "fake"))
            .And.Contain(new KeyValuePair<string, object?>("db.system.name", "fakedb"));
        var logged = _logger.Events.Should().ContainSingle(e => e.Id.Id == 1040).Which;
        logged.Level.Should().Be(LogLevel.Warning);
        logged.Message.Should().Contain(operation).And.Contain("attempt 2").And.NotContain("secret").And.NotContain("Host=");
    }

    [Fact]
    public async Task RunAsync_GivingUp_IsLoggedAtWarningWithoutTheErrorMessage()
    {
        var retry = Engine(maxRetries: 1);

        var act = () => retry.RunAsync<int>(new FakeScopes(true), "op", (_, _) => throw new FakeTransientException("Password=secret"), CancellationToken.None);

        (await act.Should().ThrowAsync<TransientFaultException>()).Which.Message.Should().NotContain("secret");
        _logger.Events.Should().ContainSingle(e => e.Id.Id == 1041).Which.Message.Should().NotContain("secret").And.Contain("2 attempts");
    }

    [Fact]
    public void SurfaceAfterFirstRow_TransientError_IsATransientFaultSayingRowsWereReturned()
    {
        var retry = Engine();
        var error = new FakeTransientException("broken mid-stream");

        var fault = retry.SurfaceAfterFirstRow(error, "query", attempts: 2, CancellationToken.None);

        fault.Should().NotBeNull();
        fault!.Attempts.Should().Be(2);
        fault.InnerException.Should().BeSameAs(error);
        fault.Message.Should().Contain("rows were already returned");
        retry.SurfaceAfterFirstRow(new InvalidCastException(), "query", 1, CancellationToken.None).Should().BeNull("other errors keep their type");
        retry.SurfaceAfterFirstRow(error, "query", 1, new CancellationToken(canceled: true)).Should().BeNull("the caller's cancellation is not wrapped");
    }

    [Fact]
    public void SurfaceCommit_TransientError_IsACommitOutcomeUnknown()
    {
        var retry = Engine();

        retry.SurfaceCommit(new FakeTransientException("reply lost"), CancellationToken.None).Should().BeOfType<CommitOutcomeUnknownException>()
            .Which.Operation.Should().Be("commit");
        retry.SurfaceCommit(new InvalidOperationException(), CancellationToken.None).Should().BeNull();
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        var act = () => Engine(maxRetries: -1);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MaxRetries");
    }

    private OperationRetry Engine(
        int maxRetries = 4, bool enabled = true, TimeSpan? timeout = null, TimeProvider? clock = null, ResiliencePipeline? pipeline = null) =>
        new(
            new RetryOptions
            {
                Enabled = enabled,
                MaxRetries = maxRetries,
                BaseDelay = TimeSpan.FromMilliseconds(1),
                MaxDelay = TimeSpan.FromMilliseconds(5),
                Timeout = timeout ?? TimeSpan.FromMinutes(1),
            },
            pipeline,
            new ProviderDiagnostics(_logger, "fakedb", "main"),
            ex => ex is FakeTransientException ? "fake" : null,
            clock);
}
