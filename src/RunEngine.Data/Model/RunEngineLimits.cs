namespace RunEngine.Data;

/// <summary>
/// Column limits shared by every provider's schema, in UTF-16 code units (what <see cref="string.Length"/> counts; an
/// emoji outside the Basic Multilingual Plane takes two). Rows are validated against them before they are sent.
/// </summary>
public static class RunEngineLimits
{
    /// <summary>Maximum length, in UTF-16 code units, of <see cref="Story.Title"/> and <see cref="Card.Title"/>: 400.</summary>
    public const int TitleMaxLength = 400;

    /// <summary>Maximum length of a worker id (<see cref="Story.ClaimedBy"/>, <see cref="RunEvent.Worker"/>): 200.</summary>
    public const int WorkerIdMaxLength = 200;

    /// <summary>Maximum length of <see cref="RunEvent.Kind"/>: 100.</summary>
    public const int EventKindMaxLength = 100;

    /// <summary>Maximum length of <see cref="RunEvent.Message"/>: 4,000.</summary>
    public const int EventMessageMaxLength = 4000;
}
