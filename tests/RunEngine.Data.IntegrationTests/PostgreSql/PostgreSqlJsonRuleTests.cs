using Npgsql;
using NpgsqlTypes;
using RunEngine.Data.Validation;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// The proof that the library's JSON rule is PostgreSQL's: every document of the table goes through both
/// <see cref="JsonText"/> and a real <c>SELECT @doc::jsonb</c> on the test server, and the two must agree.
/// </summary>
public sealed class PostgreSqlJsonRuleTests : IClassFixture<PostgreSqlFixture>
{
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlJsonRuleTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>Valid and invalid documents, and the edges between them (all well-formed UTF-16 without NUL: the text rule's cases are elsewhere).</summary>
    public static IReadOnlyList<string> Documents { get; } =
    [
        // Plain documents and scalars.
        "{}", "[]", "0", "-0", "-0.0e0", "1E+2", "[1e5, -0.0, 1E+2, 1e-2, 123.456e-7]", "true", "false", "null", "\"text\"",
        " \t\r\n{ \"a\" : [ 1 , 2 ] }\n", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":[{\"c\":null}]}}",
        // Escapes.
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u00E9\\uFFFF\"", "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00\"", "\"\\\\u0000\"",
        "\"\U0001F600 Zürich \u007F \u2028 東京\"", "{\"a\":\"\\u0000\"}", "{\"\\u0000\":1}", "\"x\\u0000\"", "{\"a\":\"\\ud800\"}",
        "\"\\udc00\"", "\"\\ud83d\\u0041\"", "\"\\ud83dx\"", "\"\\ud83d\\n\"", "\"\\ud83d\\ud83d\\ude00\"", "\"\\ude00\\ud83d\"",
        "\"\\x\"", "\"\\'\"", "\"\\U0041\"", "\"\\u12\"", "\"\\u12G4\"", "\"a\u0001b\"", "\"a\tb\"", "\"a\nb\"", "\"abc", "\"abc\\",
        // Numbers and PostgreSQL numeric's range.
        "{\"n\":1e1000000}", "1e131071", "1e131072", "9.99e131071", "1.5e131071", "0.0001e131075", "0.0001e131076",
        "1e-16383", "1e-16384", "1.0e-16382", "1.00e-16382", "0.1e-16382", "0.1e-16383", "0e1000000", "0e-16383", "0e-16384",
        "0e1073741822", "0e1073741823", "-0e1073741823", "0e99999999999999999999999", "1e0000000000000000005", "-1e-0",
        "1" + new string('0', 131_071), "1" + new string('0', 131_072), "-" + new string('9', 131_072),
        "0." + new string('1', 16_383), "0." + new string('1', 16_384), "0." + new string('0', 16_384),
        "1" + new string('0', 131_072) + "e-1", "1" + new string('0', 131_073) + "e-1", "0." + new string('0', 16_382) + "1e-1",
        "0." + new string('0', 20_000) + "1e20000", "0." + new string('0', 20_000) + "1e3617", "123.456e131069", "123.456e131070",
        "-0.0000e-16379", "-0.0000e-16380",
        "01", "-01", "00", "1.", ".5", "2.e3", "1e", "1e+", "-", "[-]", "+1", "NaN", "Infinity", "-Infinity", "0x10", "1.5.3",
        // Structure, white space, BOM, comments, trailing text.
        "", "   ", "\uFEFF{}", "{}\f", "\u000B1", "\u00A01", "[1,]", "[1 2]", "{\"a\":1,}", "{a:1}", "{'a':1}", "{\"a\" 1}",
        "{\"a\":}", "[", "{\"a\":[1,2", "]", "[}", "{]", "{\"a\"}", "1 2", "{} {}", "[] x", "nul", "TRUE", "truex", "{\"a\":1}/**/",
        "// c\n1", "[true,false,null]",
        // Nesting up to the library's depth.
        new string('[', JsonText.MaxDepth) + new string(']', JsonText.MaxDepth),
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", JsonText.MaxDepth - 1)) + "1" + new string('}', JsonText.MaxDepth),
    ];

    [SkippableFact]
    public async Task FindError_EveryDocumentOfTheTable_AgreesWithJsonbOnTheServer()
    {
        _fixture.SkipIfUnavailable();
        await using var connection = await _fixture.DataSource.OpenConnectionAsync();
        var disagreements = new List<string>();
        var accepted = 0;
        foreach (var (document, index) in Documents.Select((d, i) => (d, i)))
        {
            var library = JsonText.FindError(document);
            var server = await JsonbErrorAsync(connection, document);
            accepted += server is null ? 1 : 0;
            if ((library is null) != (server is null))
            {
                disagreements.Add($"#{index} (length {document.Length}): library {library ?? "accepts"}; jsonb {server ?? "accepts"}");
            }
        }

        Documents.Should().HaveCountGreaterThanOrEqualTo(40);
        accepted.Should().BeInRange(20, Documents.Count - 40, "the table must hold both documents jsonb stores and documents it rejects");
        disagreements.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task FindError_DeeperThanTheLibrarysDepth_IsTheOneDocumentedDifference()
    {
        _fixture.SkipIfUnavailable();
        await using var connection = await _fixture.DataSource.OpenConnectionAsync();
        var deeper = new string('[', JsonText.MaxDepth + 1) + new string(']', JsonText.MaxDepth + 1);

        var server = await JsonbErrorAsync(connection, deeper);

        server.Should().BeNull("PostgreSQL nests far deeper; the library's limit is System.Text.Json's default");
        JsonText.FindError(deeper).Should().StartWith("arrays and objects nested deeper than 64 levels");
    }

    [SkippableFact]
    public async Task FindError_TheThreeDocumentsOfIssue9_AreWhatJsonbRejectsWithTheirSqlStates()
    {
        _fixture.SkipIfUnavailable();
        await using var connection = await _fixture.DataSource.OpenConnectionAsync();

        (await JsonbErrorAsync(connection, "{\"a\":\"\\u0000\"}")).Should().StartWith("22P05");
        (await JsonbErrorAsync(connection, "{\"a\":\"\\ud800\"}")).Should().StartWith("22P02");
        (await JsonbErrorAsync(connection, "{\"n\":1e1000000}")).Should().StartWith("22003");
        JsonText.FindError("{\"a\":\"\\u0000\"}").Should().StartWith("a \\u0000 escape");
        JsonText.FindError("{\"a\":\"\\ud800\"}").Should().StartWith("a high-surrogate \\u escape");
        JsonText.FindError("{\"n\":1e1000000}").Should().StartWith("a number with more than 131,072 digits");
    }

    /// <summary>Null when the server's jsonb takes the document, else its SQLSTATE.</summary>
    private static async Task<string?> JsonbErrorAsync(NpgsqlConnection connection, string document)
    {
        await using var command = new NpgsqlCommand("SELECT @doc::jsonb IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Text) { Value = document });
        try
        {
            await command.ExecuteScalarAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }
}
