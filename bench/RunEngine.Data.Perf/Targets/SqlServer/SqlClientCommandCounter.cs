using System.Diagnostics;
using RunEngine.Data.Perf.Measurement;

namespace RunEngine.Data.Perf.Targets.SqlServer;

/// <summary>
/// Counts SqlClient's own diagnostic events (DiagnosticListener "SqlClientDiagnosticListener"): one
/// "Microsoft.Data.SqlClient.WriteCommandBefore" per SqlCommand executed, plus one per transaction commit or rollback.
/// SqlBulkCopy's metadata query and its bulk load are not SqlCommands and raise no command event, so a bulk-copied
/// table counts 0 here; the count of such bulk operations is printed next to it by the runner's notes.
/// </summary>
internal sealed class SqlClientCommandCounter : IStatementCounter, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private const string ListenerName = "SqlClientDiagnosticListener";
    private readonly List<IDisposable> _subscriptions = [];
    private IDisposable? _allListeners;
    private long _count;
    private volatile bool _counting;

    public string Source => "SqlClient DiagnosticListener \"SqlClientDiagnosticListener\": WriteCommandBefore + transaction commit/rollback events";

    // Subscribed only while counting: with a subscriber, SqlClient builds an event payload per command, which the
    // timed runs must not pay for.
    public void Start()
    {
        Interlocked.Exchange(ref _count, 0);
        _counting = true;
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public long Stop()
    {
        _counting = false;
        Unsubscribe();
        return Interlocked.Read(ref _count);
    }

    public void Dispose() => Unsubscribe();

    private void Unsubscribe()
    {
        _allListeners?.Dispose();
        _allListeners = null;
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == ListenerName)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (_counting && value.Key is "Microsoft.Data.SqlClient.WriteCommandBefore"
            or "Microsoft.Data.SqlClient.WriteTransactionCommitBefore"
            or "Microsoft.Data.SqlClient.WriteTransactionRollbackBefore")
        {
            Interlocked.Increment(ref _count);
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }
}
