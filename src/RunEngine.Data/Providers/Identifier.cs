using System.Text.RegularExpressions;

namespace RunEngine.Data.Providers;

/// <summary>Validation of identifiers that come from options (schema name, table prefix) before any dialect quotes them.</summary>
internal static partial class Identifier
{
    /// <summary>Longest accepted schema name (PostgreSQL truncates identifiers at 63 bytes).</summary>
    public const int MaxSchemaLength = 63;

    /// <summary>Longest accepted table prefix, leaving room for the longest table name ("schema_version", "run_log").</summary>
    public const int MaxPrefixLength = 40;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="value"/> is a plain identifier.</summary>
    public static string ValidateName(string? value, string optionName, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength || !NamePattern().IsMatch(value))
        {
            throw new ArgumentException(
                $"{optionName} must start with a letter or underscore, contain only ASCII letters, digits and underscores, and be 1 to {maxLength} characters long.",
                optionName);
        }

        return value;
    }

    /// <summary>Like <see cref="ValidateName"/>, but the empty string (no prefix) is accepted.</summary>
    public static string ValidatePrefix(string? value, string optionName)
    {
        ArgumentNullException.ThrowIfNull(value, optionName);
        return value.Length == 0 ? value : ValidateName(value, optionName, MaxPrefixLength);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
