namespace RunEngine.Data.Validation;

/// <summary>What <see cref="JsonText"/> found wrong with a document; each one is also a reason PostgreSQL's jsonb rejects it.</summary>
internal enum JsonProblem
{
    /// <summary>A document PostgreSQL's jsonb stores.</summary>
    None,

    /// <summary>Nothing but white space.</summary>
    Empty,

    /// <summary>A character that cannot start a value here.</summary>
    UnexpectedCharacter,

    /// <summary>The text ends inside a value.</summary>
    UnexpectedEnd,

    /// <summary>Text after the first complete value.</summary>
    TrailingText,

    /// <summary>Neither ',' nor the container's closing bracket after a value.</summary>
    ExpectedCommaOrEnd,

    /// <summary>An object member that does not start with a string key.</summary>
    ExpectedKey,

    /// <summary>A key not followed by ':'.</summary>
    ExpectedColon,

    /// <summary>A word other than true, false or null.</summary>
    InvalidLiteral,

    /// <summary>A string without its closing quote.</summary>
    UnterminatedString,

    /// <summary>A control character (below U+0020) written into a string without an escape.</summary>
    ControlCharacter,

    /// <summary>A backslash followed by a character JSON does not define as an escape.</summary>
    InvalidEscape,

    /// <summary>\u not followed by four hexadecimal digits.</summary>
    InvalidUnicodeEscape,

    /// <summary>\u0000, which jsonb cannot store (PostgreSQL 22P05).</summary>
    NulEscape,

    /// <summary>A high-surrogate escape not followed by a low-surrogate escape (PostgreSQL 22P02).</summary>
    UnpairedHighSurrogateEscape,

    /// <summary>A low-surrogate escape not preceded by a high-surrogate escape (PostgreSQL 22P02).</summary>
    UnpairedLowSurrogateEscape,

    /// <summary>A number not in JSON's syntax (leading zero, missing digits, '+' sign, …).</summary>
    InvalidNumber,

    /// <summary>A number with more digits before the decimal point than PostgreSQL's numeric holds (PostgreSQL 22003).</summary>
    NumberTooLarge,

    /// <summary>A number with more digits after the decimal point than PostgreSQL's numeric holds (PostgreSQL 22003).</summary>
    NumberTooPrecise,

    /// <summary>An exponent beyond what PostgreSQL's numeric input accepts (PostgreSQL 22003).</summary>
    ExponentOutOfRange,

    /// <summary>More nested arrays and objects than <see cref="JsonText.MaxDepth"/>.</summary>
    TooDeep,
}
