using System.Data.Common;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>
/// The fault matrix (issue 11 item 4): each cell injects one fault, through a <see cref="FaultProxy"/> between the
/// library and the real server, into one call of one operation. Retry on: the call returns what it returns without a
/// fault, and its change is stored exactly once (rows once, versions +1, one log entry per change, no lease lost).
/// Retry off: a <see cref="TransientFaultException"/> (a <see cref="CommitOutcomeUnknownException"/> once the commit
/// or the one autocommit write was sent) whose inner exception is the driver's, and all of the change or none of it.
/// One subclass per server provider says how to reach the server through the proxy and where its protocol moments are.
/// </summary>
public abstract class FaultMatrixContract<TFixture> : IClassFixture<TFixture>
    where TFixture : ProviderFixture
{
    /// <summary>How long a stalled COMMIT is held: beyond <see cref="StallCommandTimeout"/>, then the connection is cut.</summary>
    protected static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(1_500);

    /// <summary>The command timeout of a stall cell's database.</summary>
    protected static readonly TimeSpan StallCommandTimeout = TimeSpan.FromSeconds(1);

    protected FaultMatrixContract(TFixture fixture)
    {
        Fixture = fixture;
    }

    protected TFixture Fixture { get; }

    /// <summary>A proxy in front of the fixture's server.</summary>
    protected abstract FaultProxy StartProxy();

    /// <summary>A database over the fixture's database through <paramref name="proxy"/>, with the fixture's clock and <paramref name="configure"/>d options.</summary>
    protected abstract RunEngineDatabase CreateProxiedDatabase(FaultProxy proxy, Action<RunEngineOptions> configure, bool shortTimeouts);

    /// <summary>The provider's fault in the middle of the operation's COPY or bulk load.</summary>
    protected abstract WireFault MidBulk(FaultOperation operation);

    /// <summary>Whether the operation's durable step on this provider is a COMMIT, else the text of its one autocommit write.</summary>
    protected abstract string? AutocommitWrite(FaultOperation operation);

    /// <summary>Runs one cell.</summary>
    protected async Task RunCellAsync(FaultOperation operation, MatrixPoint point, RetryMode retry)
    {
        Fixture.SkipIfUnavailable();
        var scenario = new FaultScenario(Fixture.Database, Fixture.OpenConnectionAsync, operation);
        await scenario.SeedAsync();
        using var proxy = StartProxy();
        await using var database = CreateProxiedDatabase(proxy, o =>
        {
            o.Retry.Enabled = retry == RetryMode.On;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            if (point == MatrixPoint.StallBeyondTimeout)
            {
                o.CommandTimeout = StallCommandTimeout;
            }
        }, shortTimeouts: point == MatrixPoint.StallBeyondTimeout);

        if (point != MatrixPoint.AtOpen)
        {
            // A pooled connection to cut or kill: a read through the proxied database opens one and returns it to the pool.
            await database.Stories.GetByRunAsync(Guid.CreateVersion7()).ToListAsync();
        }

        // Once the one autocommit write was handed to the socket, the client cannot know whether it arrived: a cut before
        // its first byte reached the server looks the same as one after, so that too is an unknown outcome.
        var commitSent = point is MatrixPoint.AfterCommit or MatrixPoint.StallBeyondTimeout
            || (point == MatrixPoint.BeforeFirstByte && AutocommitWrite(operation) is not null);
        if (point == MatrixPoint.IdleConnectionKilled)
        {
            proxy.CutAll().Should().BeGreaterThan(0, "the warm-up left a pooled connection to kill");
        }
        else
        {
            proxy.Arm(Fault(operation, point));
        }

        Exception? error = null;
        string? differs = null;
        try
        {
            differs = await scenario.RunAsync(database);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        // A stalled message is cut only after the stall: what it held is decided then.
        await proxy.SettledAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var fired = proxy.Fired;
        var stored = await scenario.ReadAsync();
        if (point != MatrixPoint.IdleConnectionKilled)
        {
            fired.Should().ContainSingle($"the fault {Fault(operation, point).Name} fires once, during the call (pending: {string.Join(", ", proxy.Pending.Select(f => f.Name))})");
        }

        if (retry == RetryMode.On)
        {
            error.Should().BeNull($"with retry on the call survives the fault ({Describe(fired)}); it threw {error?.GetType().Name}: {error?.Message}");
            differs.Should().BeNull("the call returns what it returns without a fault (a claim: exactly the stories leased to its worker)");
            stored.State.Should().Be("all", "the change is stored exactly once");
            return;
        }

        error.Should().NotBeNull($"with retry off the fault surfaces ({Describe(fired)})");
        error.Should().BeAssignableTo<TransientFaultException>($"a transient fault surfaces typed; got {error!.GetType().Name}: {error.Message}");
        var transient = (TransientFaultException)error;
        transient.InnerException.Should().BeAssignableTo<DbException>("the inner exception is the driver's");
        transient.Attempts.Should().Be(1);
        if (commitSent)
        {
            transient.Should().BeOfType<CommitOutcomeUnknownException>("the commit (or the one autocommit write) was sent and no reply came");
        }
        else
        {
            transient.Should().NotBeOfType<CommitOutcomeUnknownException>("nothing was committed: the fault came before the commit was sent");
        }

        stored.State.Should().Be(point == MatrixPoint.AfterCommit ? "all" : "none",
            point == MatrixPoint.AfterCommit ? "the server committed before its reply was dropped" : "nothing of the call reached a commit");
    }

    private WireFault Fault(FaultOperation operation, MatrixPoint point)
    {
        var write = AutocommitWrite(operation);
        return point switch
        {
            MatrixPoint.AtOpen => WireFault.CutAtConnect(),
            MatrixPoint.BeforeFirstByte => WireFault.CutAtNextMessage(),
            MatrixPoint.MidBulk => MidBulk(operation),
            MatrixPoint.AfterCommit => write is null ? WireFault.CutAfterCommit() : WireFault.CutAfterStatement(write),
            MatrixPoint.StallBeyondTimeout => write is null ? WireFault.StallCommit(Stall, thenCut: true) : WireFault.StallStatement(write, Stall, thenCut: true),
            _ => throw new ArgumentOutOfRangeException(nameof(point), point, "No armed fault."),
        };
    }

    private static string Describe(IReadOnlyList<FiredFault> fired) =>
        fired.Count == 0 ? "no fault fired" : string.Join("; ", fired.Select(f => $"{f.Fault.Name} on connection {f.Connection}, {f.Detail}"));
}
