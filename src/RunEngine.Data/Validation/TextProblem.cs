namespace RunEngine.Data.Validation;

/// <summary>What <see cref="TextRule"/> found wrong with a string.</summary>
internal enum TextProblem
{
    /// <summary>The string can be stored unchanged on every provider.</summary>
    None,

    /// <summary>Longer than its limit (in UTF-16 code units).</summary>
    TooLong,

    /// <summary>Contains U+0000, which PostgreSQL and SQL Server text cannot hold and SQLite would store.</summary>
    Nul,

    /// <summary>A high surrogate (U+D800–U+DBFF) not followed by a low surrogate.</summary>
    UnpairedHighSurrogate,

    /// <summary>A low surrogate (U+DC00–U+DFFF) not preceded by a high surrogate.</summary>
    UnpairedLowSurrogate,
}
