namespace RunEngine.Data;

/// <summary>What a set-based status change does when some changes do not match (a conflict or a missing id).</summary>
public enum StatusChangeMode
{
    /// <summary>
    /// Default. Any conflict or missing id fails the whole call with <see cref="StatusChangeConflictException"/>, which
    /// lists them; nothing of the batch is changed.
    /// </summary>
    AllOrNothing = 0,

    /// <summary>The changes that match are applied; conflicts and missing ids are reported in the <see cref="StatusChangeResult"/>.</summary>
    ApplyWhatMatches = 1,
}
