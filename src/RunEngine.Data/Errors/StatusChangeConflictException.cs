using System.Globalization;

namespace RunEngine.Data;

/// <summary>
/// An all-or-nothing set-based status change met conflicts or missing ids; nothing of the batch was changed. Carries
/// the complete lists; the message names the first few and the counts.
/// </summary>
public sealed class StatusChangeConflictException : RunEngineDataException
{
    private const int Named = 3;

    /// <summary>Creates the exception.</summary>
    /// <param name="entity">The entity name ("Story", "Card").</param>
    /// <param name="conflicts">The version conflicts, in id order.</param>
    /// <param name="missing">The ids no row has, in id order.</param>
    public StatusChangeConflictException(string entity, IReadOnlyList<StatusConflict> conflicts, IReadOnlyList<Guid> missing)
        : base(Format(entity, conflicts, missing))
    {
        Entity = entity;
        Conflicts = conflicts;
        Missing = missing;
    }

    /// <summary>The entity name ("Story", "Card").</summary>
    public string Entity { get; }

    /// <summary>The changes whose expected version was not the stored one, in id order.</summary>
    public IReadOnlyList<StatusConflict> Conflicts { get; }

    /// <summary>The ids no row has, in id order.</summary>
    public IReadOnlyList<Guid> Missing { get; }

    private static string Format(string entity, IReadOnlyList<StatusConflict> conflicts, IReadOnlyList<Guid> missing)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        ArgumentNullException.ThrowIfNull(missing);
        var parts = new List<string>();
        if (conflicts.Count > 0)
        {
            var named = string.Join(", ", conflicts.Take(Named).Select(c => string.Create(
                CultureInfo.InvariantCulture, $"{c.Id} (expected version {c.ExpectedVersion}, stored {c.ActualVersion})")));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{conflicts.Count} version conflict(s): {named}{More(conflicts.Count)}"));
        }

        if (missing.Count > 0)
        {
            var named = string.Join(", ", missing.Take(Named));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{missing.Count} missing id(s): {named}{More(missing.Count)}"));
        }

        return $"The {entity} status changes were not applied: {string.Join("; ", parts)}. Nothing of the batch was changed.";
    }

    private static string More(int count) =>
        count > Named ? string.Create(CultureInfo.InvariantCulture, $" and {count - Named} more") : string.Empty;
}
