using System.Net;
using System.Net.Sockets;

namespace RunEngine.Data.Testing;

/// <summary>
/// A loopback TCP relay between a driver and a database server that reads the client's protocol messages as it passes
/// them on and injects faults at chosen moments: it cuts a connection (both sockets aborted, RST-like) after N bytes in
/// either direction, at connect, in the middle of a PostgreSQL COPY or a TDS bulk load, right after a COMMIT or a chosen
/// statement was executed (the server's reply is dropped), or stalls a message before passing it on or cutting.
/// Faults are armed per test (<see cref="Arm"/>: each fires once, on the first connection that reaches its point) or
/// applied at once to every open connection (<see cref="CutAll"/>); <see cref="Fired"/> says which fired, and where.
/// One source linked into the integration tests and the perf runner; <see cref="PgFrontendRelay"/> builds on it to
/// record or count PostgreSQL messages. The relay needs plain TCP: relayed connection strings disable TLS (SQL Server:
/// Encrypt=false, or at least login-only encryption, which the relay passes through as TLS records).
/// </summary>
public class FaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<ArmedFault> _armed = [];
    private readonly List<FiredFault> _fired = [];
    private readonly Dictionary<int, RelayConnection> _open = [];
    private volatile int _armedCount;
    private int _accepted;
    private bool _disposed;

    /// <summary>Starts relaying from a free port on 127.0.0.1 to <paramref name="upstreamHost"/>:<paramref name="upstreamPort"/>.</summary>
    public FaultProxy(WireProtocol protocol, string upstreamHost, int upstreamPort)
    {
        Protocol = protocol;
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The protocol relayed.</summary>
    public WireProtocol Protocol { get; }

    /// <summary>The relay's port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections relayed right now.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>The faults that fired so far, in order (<see cref="CutAll"/> included).</summary>
    public IReadOnlyList<FiredFault> Fired
    {
        get
        {
            lock (_gate)
            {
                return [.. _fired];
            }
        }
    }

    /// <summary>Faults armed that have not fired yet.</summary>
    public IReadOnlyList<WireFault> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _armed.Select(a => a.Fault)];
            }
        }
    }

    internal CancellationToken Stopping => _stop.Token;

    /// <summary>Arms <paramref name="fault"/>: it fires once, on the first connection (open or future) that reaches its point.</summary>
    public void Arm(WireFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _armed.Add(new ArmedFault(fault));
            _armedCount = _armed.Count;
        }
    }

    /// <summary>Removes the faults that have not fired and returns them.</summary>
    public IReadOnlyList<WireFault> Disarm()
    {
        lock (_gate)
        {
            var pending = _armed.Select(a => a.Fault).ToList();
            _armed.Clear();
            _armedCount = 0;
            return pending;
        }
    }

    /// <summary>Disarms every fault and forgets what fired.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _armed.Clear();
            _armedCount = 0;
            _fired.Clear();
        }
    }

    /// <summary>Completes once every fault fired so far is over (cut done, stalled bytes passed on).</summary>
    public Task SettledAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_fired.Select(f => f.Done));
        }
    }

    /// <summary>Cuts every connection open now (an idle pooled one included); returns how many.</summary>
    public int CutAll()
    {
        RelayConnection[] open;
        var fault = new WireFault(FaultPoint.All);
        lock (_gate)
        {
            open = [.. _open.Values];
            foreach (var connection in open)
            {
                _fired.Add(new FiredFault(fault, connection.Number, "cut all open connections"));
            }
        }

        foreach (var connection in open)
        {
            connection.Abort();
        }

        return open.Length;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _listener.Stop();
        RelayConnection[] open;
        lock (_gate)
        {
            open = [.. _open.Values];
        }

        foreach (var connection in open)
        {
            connection.Abort();
        }

        _stop.Dispose();
    }

    /// <summary>
    /// One client message, before it is passed on (PostgreSQL: a typed message's type and body, not startup packets;
    /// TDS: a packet's type and payload). Called on the relay's threads, one connection's messages in order.
    /// </summary>
    protected internal virtual void OnClientMessage(byte type, ReadOnlySpan<byte> body)
    {
    }

    /// <summary>Decides what the connection does with a unit of client traffic.</summary>
    internal FaultFiring Decide(RelayConnection connection, in ClientUnit unit)
    {
        if (_armedCount == 0)
        {
            return FaultFiring.None;
        }

        lock (_gate)
        {
            FaultFiring firing = FaultFiring.None;
            ArmedFault? firedBy = null;
            foreach (var armed in _armed)
            {
                var candidate = Match(armed, connection.Number, unit);
                if (candidate.Kind != FiringKind.None && firedBy is null)
                {
                    firing = candidate;
                    firedBy = armed;
                }
            }

            if (firedBy is not null)
            {
                var done = Fire(firedBy, connection.Number, firing.Kind switch
                {
                    FiringKind.CutAfterReply => $"after {unit.Describe}, its reply dropped",
                    FiringKind.PassThenCut when firing.PassBytes < unit.Length => $"{firing.PassBytes} of {unit.Length} bytes into {unit.Describe}",
                    FiringKind.PassThenCut => $"after {unit.Describe}",
                    _ => $"before {unit.Describe}",
                });
                return firing with { Done = done };
            }

            return firing;
        }
    }

    /// <summary>How many of <paramref name="length"/> server bytes pass before a cut, or -1 when no fault fires on them.</summary>
    internal int DecideServerBytes(RelayConnection connection, int length)
    {
        if (_armedCount == 0)
        {
            return -1;
        }

        lock (_gate)
        {
            foreach (var armed in _armed)
            {
                if (armed.Fault.Point != FaultPoint.ServerBytes)
                {
                    continue;
                }

                var (before, after) = armed.Add(connection.Number, length);
                if (after >= armed.Fault.Count)
                {
                    var pass = (int)(armed.Fault.Count - before);
                    connection.CompleteOnAbort(Fire(armed, connection.Number, $"after {armed.Fault.Count} server bytes"));
                    return pass;
                }
            }

            return -1;
        }
    }

    private static FaultFiring Match(ArmedFault armed, int connection, in ClientUnit unit)
    {
        var fault = armed.Fault;
        var stall = fault.Action switch
        {
            FaultAction.StallThenPass => FiringKind.StallThenPass,
            FaultAction.StallThenCut => FiringKind.StallThenCut,
            _ => FiringKind.None,
        };
        switch (fault.Point)
        {
            case FaultPoint.NextMessage when unit.IsMessageStart:
                return new(stall == FiringKind.None ? FiringKind.CutBefore : stall, 0, fault);
            case FaultPoint.ClientBytes:
            case FaultPoint.BulkLoadBytes when unit.IsBulkLoad:
                {
                    var (before, after) = armed.Add(connection, unit.Length);
                    return after >= fault.Count ? new(FiringKind.PassThenCut, (int)(fault.Count - before), fault) : FaultFiring.None;
                }

            case FaultPoint.CopyData when unit.IsCopyData:
                return armed.Add(connection, 1).After == fault.Count ? new(FiringKind.PassThenCut, unit.Length, fault) : FaultFiring.None;
            case FaultPoint.Commit when unit.IsCommit:
            case FaultPoint.Statement when unit.ContainsText?.Invoke(fault.Text!) == true:
                return new(stall == FiringKind.None ? FiringKind.CutAfterReply : stall, 0, fault);
            default:
                return FaultFiring.None;
        }
    }

    private TaskCompletionSource Fire(ArmedFault armed, int connection, string detail)
    {
        _armed.Remove(armed);
        _armedCount = _armed.Count;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fired.Add(new FiredFault(armed.Fault, connection, detail) { Done = done.Task });
        return done;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new RelayConnection(this, Interlocked.Increment(ref _accepted), client);
            var cutAtConnect = false;
            lock (_gate)
            {
                var armed = _armed.FirstOrDefault(a => a.Fault.Point == FaultPoint.Connect);
                if (armed is not null)
                {
                    connection.CompleteOnAbort(Fire(armed, connection.Number, "at connect"));
                    cutAtConnect = true;
                }
                else
                {
                    _open[connection.Number] = connection;
                }
            }

            if (cutAtConnect)
            {
                connection.Abort();
                continue;
            }

            _ = RunAsync(connection);
        }
    }

    private async Task RunAsync(RelayConnection connection)
    {
        try
        {
            await connection.RunAsync(_upstreamHost, _upstreamPort);
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(connection.Number);
            }
        }
    }
}
