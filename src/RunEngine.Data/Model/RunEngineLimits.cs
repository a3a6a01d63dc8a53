namespace RunEngine.Data;

/// <summary>Column limits shared by every provider's schema. Rows are validated against them before they are sent.</summary>
public static class RunEngineLimits
{
    /// <summary>Maximum length, in UTF-16 characters, of <see cref="Story.Title"/> and <see cref="Card.Title"/>: 400.</summary>
    public const int TitleMaxLength = 400;
}
