namespace RunEngine.Data.Tests.Infrastructure;

/// <summary>A lazy sequence that counts how many items were pulled from it and whether it was disposed.</summary>
internal sealed class CountingSequence<T> : IEnumerable<T>, IAsyncEnumerable<T>
{
    private readonly List<T> _items;
    private readonly int _failAt;

    public CountingSequence(IEnumerable<T> items, int failAt = -1)
    {
        _items = items.ToList();
        _failAt = failAt;
    }

    public int Pulled { get; private set; }

    public bool Disposed { get; private set; }

    public IEnumerator<T> GetEnumerator()
    {
        try
        {
            for (var i = 0; i < _items.Count; i++)
            {
                if (i == _failAt)
                {
                    throw new InvalidOperationException("generator failed");
                }

                Pulled++;
                yield return _items[i];
            }
        }
        finally
        {
            Disposed = true;
        }
    }

    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var item in _items)
            {
                // Truly asynchronous: every item completes after a yield, as a database or network source would.
                await Task.Yield();
                Pulled++;
                yield return item;
            }
        }
        finally
        {
            Disposed = true;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
