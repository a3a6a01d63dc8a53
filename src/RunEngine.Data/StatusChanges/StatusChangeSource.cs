using System.Globalization;
using RunEngine.Data.Bulk;
using RunEngine.Data.Validation;

namespace RunEngine.Data.StatusChanges;

/// <summary>
/// The changes of one set-based call as the provider's writer reads them: streamed from the caller's sequence, never
/// buffered, each validated as it passes (id, status, message, a repeated id within the bounded
/// <see cref="RowWindow"/>); a repeat past the window is left to the database's stage key (see the writers).
/// </summary>
internal sealed class StatusChangeSource : IAsyncDisposable
{
    private readonly ChangeCursor _cursor;
    private readonly string _entity;
    private readonly Guid _eventBase;
    private readonly CancellationToken _cancellationToken;
    private bool _hasPeeked;

    private StatusChangeSource(ChangeCursor cursor, string entity, Guid eventBase, CancellationToken cancellationToken)
    {
        _cursor = cursor;
        _entity = entity;
        _eventBase = eventBase;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Whether no change has been handed out yet (only the first one peeked): an attempt that failed while the source
    /// was untouched sent nothing of it, so the next attempt can read it as it is, even when the input is lazy.
    /// </summary>
    public bool Untouched => _hasPeeked && Count == 0;

    /// <summary>The cursor, to reopen a materialized input for a repeat (<see cref="ChangeCursor.Reopen"/>).</summary>
    public ChangeCursor Cursor => _cursor;

    /// <summary>The entity name ("Story", "Card").</summary>
    public string Entity => _entity;

    /// <summary>The current change; valid after a move returned true.</summary>
    public StatusChangeRow Current { get; private set; }

    /// <summary>Changes handed out so far; the current one's position is <c>Count - 1</c>.</summary>
    public long Count { get; private set; }

    /// <summary>The ids of the first <see cref="RowWindow.Capacity"/> changes.</summary>
    public RowWindow Window { get; } = new(hasParents: false);

    /// <summary>Opens the changes; returns null (and disposes the cursor) when there are none.</summary>
    /// <param name="cursor">The caller's changes.</param>
    /// <param name="entity">The entity name.</param>
    /// <param name="eventBase">The call's base id of its log entries (<see cref="CallEventIds"/>), the same for every attempt.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public static async ValueTask<StatusChangeSource?> OpenAsync(ChangeCursor cursor, string entity, Guid eventBase, CancellationToken cancellationToken)
    {
        var source = new StatusChangeSource(cursor, entity, eventBase, cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await cursor.MoveNextAsync().ConfigureAwait(false))
            {
                await cursor.DisposeAsync().ConfigureAwait(false);
                return null;
            }
        }
        catch
        {
            await cursor.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        source._hasPeeked = true;
        return source;
    }

    /// <summary>Advances to the next valid change; blocks on an asynchronous sequence (prefer <see cref="MoveNextAsync"/>).</summary>
    public bool MoveNext() => Advance(TakePeeked() || _cursor.MoveNext());

    /// <summary>Advances to the next valid change.</summary>
    public async ValueTask<bool> MoveNextAsync() => Advance(TakePeeked() || await _cursor.MoveNextAsync().ConfigureAwait(false));

    /// <summary>The error for a repeated id the database's stage key found past the window.</summary>
    public BatchValidationException RepeatedPastWindow(Exception? innerException = null) => new(
        _entity,
        null,
        "Id",
        string.Create(
            CultureInfo.InvariantCulture,
            $"repeats the id of another change of the same batch (past the first {RowWindow.Capacity:N0} changes, found by the database's stage key); each id may change once per batch"),
        innerException);

    public ValueTask DisposeAsync() => _cursor.DisposeAsync();

    private bool TakePeeked()
    {
        if (!_hasPeeked)
        {
            return false;
        }

        _hasPeeked = false;
        return true;
    }

    private bool Advance(bool hasChange)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (!hasChange)
        {
            return false;
        }

        var (id, expectedVersion, status, message) = _cursor.Current;
        var position = Count;
        if (id == Guid.Empty)
        {
            throw new BatchValidationException(_entity, position, "Id", "is empty (Guid.Empty)");
        }

        if (!_cursor.IsDefined(status))
        {
            throw new BatchValidationException(
                _entity, position, "Status", string.Create(CultureInfo.InvariantCulture, $"is {status}, which is not a defined {_cursor.StatusType} value"));
        }

        if (message is not null && TextRule.Check(message, RunEngineLimits.EventMessageMaxLength) is { Failed: true } fault)
        {
            throw new BatchValidationException(_entity, position, "Message", fault.Describe());
        }

        if (!Window.TryAdd(id, position, Guid.Empty, out var earlier))
        {
            throw new BatchValidationException(
                _entity,
                position,
                "Id",
                string.Create(CultureInfo.InvariantCulture, $"repeats the id {id} of the earlier change at position {earlier} of the same batch"));
        }

        message ??= string.Create(CultureInfo.InvariantCulture, $"status set to {_cursor.NameOf(status)} (version {expectedVersion + 1})");
        Current = new StatusChangeRow(id, expectedVersion, status, message, CallEventIds.At(_eventBase, position));
        Count = position + 1;
        return true;
    }
}
