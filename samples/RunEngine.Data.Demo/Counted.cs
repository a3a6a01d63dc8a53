using System.Globalization;

namespace RunEngine.Data.Demo;

/// <summary>A count with its noun, as people write it: "1 story", "3,000 stories" (invariant thousands separators).</summary>
internal static class Counted
{
    public static string Of(long count, string one, string many) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many);

    public static string Stories(long count) => Of(count, "story", "stories");

    public static string Cards(long count) => Of(count, "card", "cards");

    public static string Cycles(long count) => Of(count, "cycle", "cycles");
}
