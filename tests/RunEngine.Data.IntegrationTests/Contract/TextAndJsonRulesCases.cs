namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Cases of <see cref="TextAndJsonRulesContract{TFixture}"/>: fields and where a lone surrogate sits in them. The
/// strings themselves are built in the tests (attribute strings are stored as UTF-8, which cannot hold one).
/// </summary>
public static class TextAndJsonRulesCases
{
    public static TheoryData<string, string> StoryFieldsAndPlacements => Cross(["Title", "Body", "Metadata", "ClaimedBy"]);

    public static TheoryData<string, string> CardFieldsAndPlacements => Cross(["Title", "Description", "Metadata"]);

    public static TheoryData<string, string> EventFieldsAndPlacements => Cross(["Kind", "Message", "Worker"]);

    public static TheoryData<string> JsonbRejected => new() { "nul escape", "lone surrogate escape", "huge number" };

    private static TheoryData<string, string> Cross(string[] fields)
    {
        var data = new TheoryData<string, string>();
        foreach (var field in fields)
        {
            foreach (var placement in new[] { "high at start", "low at end", "high at end", "low at start" })
            {
                data.Add(field, placement);
            }
        }

        return data;
    }
}
