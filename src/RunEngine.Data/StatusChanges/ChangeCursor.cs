namespace RunEngine.Data.StatusChanges;

/// <summary>
/// The caller's sequence of changes (sync or async, of story or card statuses) seen as raw values, so that one
/// <see cref="StatusChangeSource"/> serves every shape of input.
/// </summary>
internal abstract class ChangeCursor : IAsyncDisposable
{
    /// <summary>The status enum's name ("StoryStatus"), for messages.</summary>
    public abstract string StatusType { get; }

    /// <summary>The current change's id, expected version, stored status value and message.</summary>
    public abstract (Guid Id, int ExpectedVersion, short Status, string? Message) Current { get; }

    /// <summary>Advances; blocks on an asynchronous sequence.</summary>
    public abstract bool MoveNext();

    /// <summary>Advances.</summary>
    public abstract ValueTask<bool> MoveNextAsync();

    /// <summary>Whether <paramref name="status"/> is a defined value of the status enum.</summary>
    public abstract bool IsDefined(short status);

    /// <summary>The name of a defined status value.</summary>
    public abstract string NameOf(short status);

    /// <summary>
    /// A new cursor over the same changes from the start, when the input can be read again identically (an array, a
    /// list: an <see cref="ICollection{T}"/> or <see cref="IReadOnlyCollection{T}"/>); null for a lazy sequence.
    /// </summary>
    public abstract ChangeCursor? Reopen();

    /// <summary>Whether <see cref="Reopen"/> gives a cursor (the input is a materialized collection).</summary>
    public abstract bool Rereadable { get; }

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();
}
