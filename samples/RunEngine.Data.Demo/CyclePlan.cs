namespace RunEngine.Data.Demo;

/// <summary>One generation cycle: its stories, and its cards produced lazily from them.</summary>
/// <param name="Number">One-based cycle number.</param>
/// <param name="Stories">The cycle's stories (ids already assigned, so cards can point at them).</param>
/// <param name="Cards">The cycle's cards, generated while the library streams them (never held in a list).</param>
/// <param name="CardCount">How many cards <paramref name="Cards"/> yields, known up front for the progress display.</param>
internal sealed record CyclePlan(int Number, IReadOnlyList<Story> Stories, IEnumerable<Card> Cards, int CardCount)
{
    public int RowCount => Stories.Count + CardCount;
}
