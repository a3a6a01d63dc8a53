using RunEngine.Data.Mapping;

namespace RunEngine.Data.Perf.Methods;

/// <summary>
/// The hand-written methods (multi-row, raw-limit, tvp) fill each column by position; this stops them with a clear
/// message, instead of a provider error about an unset parameter, when the library's tables gain a column.
/// </summary>
internal static class HandWrittenColumns
{
    private static readonly string[] StoryColumns =
        ["id", "run_id", "position", "title", "body", "status", "version", "created_at", "updated_at", "metadata", "claimed_by", "lease_expires_at"];

    private static readonly string[] CardColumns =
        ["id", "run_id", "story_id", "position", "title", "description", "status", "version", "created_at", "updated_at", "metadata"];

    public static void Check<T>(TableMap<T> map)
        where T : class
    {
        var expected = typeof(T) == typeof(Story) ? StoryColumns : CardColumns;
        if (!map.Columns.Select(c => c.Name).SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"The library's {map.TableSuffix} table now has the columns ({string.Join(", ", map.Columns.Select(c => c.Name))}); " +
                "update the bench's hand-written methods (HandWrittenColumns and the methods that fill rows by position).");
        }
    }
}
