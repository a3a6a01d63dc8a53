using System.Data.Common;
using System.Globalization;

namespace RunEngine.Data.Repositories;

/// <summary>Why a lease transition found no row to change, from the story's lease state and the clock's now.</summary>
internal static class LeaseExplanation
{
    /// <summary>Explains from a row of <c>InspectClaim</c> / <c>InspectClaims</c> whose first lease column is at <paramref name="first"/>.</summary>
    public static string Read(DbDataReader reader, int first, StoryClaim claim)
    {
        var now = StoredTransition.Timestamp(reader, first + 4);
        var holder = reader.IsDBNull(first) ? null : reader.GetString(first);
        var version = reader.GetInt32(first + 1);
        var expires = reader.IsDBNull(first + 2) ? (DateTimeOffset?)null : StoredTransition.Timestamp(reader, first + 2);
        var status = (StoryStatus)Convert.ToInt16(reader.GetValue(first + 3), CultureInfo.InvariantCulture);
        return Explain(claim, holder, version, expires, status, now);
    }

    /// <summary>The text for a story that no longer exists.</summary>
    public const string Missing = "the story no longer exists";

    private static string Explain(StoryClaim claim, string? holder, int version, DateTimeOffset? expires, StoryStatus status, DateTimeOffset now)
    {
        if (holder is null)
        {
            return $"the story is no longer claimed (status {status})";
        }

        if (!string.Equals(holder, claim.WorkerId, StringComparison.Ordinal))
        {
            return "the story is now claimed by another worker";
        }

        if (version != claim.Version)
        {
            return $"the story's version is now {version}, not {claim.Version}";
        }

        return expires <= now ? $"the lease expired at {expires:O}" : $"the story is {status}";
    }
}
