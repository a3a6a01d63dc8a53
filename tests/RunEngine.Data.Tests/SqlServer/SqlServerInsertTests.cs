using System.Data;
using RunEngine.Data.Mapping;
using RunEngine.Data.SqlServer;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.SqlServer;

public sealed class SqlServerInsertTests
{
    [Fact]
    public void BuildText_TwoStories_ListsQuotedColumnsAndNumbersParametersRowByRow()
    {
        var text = SqlServerInsert.BuildText("[dbo].[re_stories]", RunEngineTables.Stories.Columns, 2);

        text.Should().Be(
            "INSERT INTO [dbo].[re_stories] ([id], [run_id], [position], [title], [body], [status], [version], [created_at], [updated_at], [metadata], " +
            "[claimed_by], [lease_expires_at]) " +
            "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11), " +
            "(@p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20, @p21, @p22, @p23)");
    }

    [Theory]
    [InlineData(10, 209)]
    [InlineData(11, 190)]
    [InlineData(1, 1_000)]
    [InlineData(3_000, 1)]
    public void MaxRowsPerStatement_ColumnCount_StaysWithinParameterAndRowLimits(int columns, int expected)
    {
        var rows = SqlServerInsert.MaxRowsPerStatement(columns);

        rows.Should().Be(expected);
        if (columns <= 2_098)
        {
            (rows * columns).Should().BeLessThanOrEqualTo(2_098);
        }
    }

    [Fact]
    public void CreateParameter_EveryStoryColumn_IsTypedWithFixedSizes()
    {
        var story = TestRows.Story(2);
        var parameters = RunEngineTables.Stories.Columns
            .Select(c => SqlServerInsert.CreateParameter(c, "@" + c.Name, c.GetBoxed(story, TestRows.Context)))
            .ToDictionary(p => p.ParameterName[1..]);

        parameters["id"].SqlDbType.Should().Be(SqlDbType.UniqueIdentifier);
        parameters["id"].Value.Should().Be(story.Id);
        parameters["run_id"].SqlDbType.Should().Be(SqlDbType.UniqueIdentifier);
        parameters["position"].SqlDbType.Should().Be(SqlDbType.Int);
        parameters["title"].SqlDbType.Should().Be(SqlDbType.NVarChar);
        parameters["title"].Size.Should().Be(400);
        parameters["body"].Size.Should().Be(-1);
        parameters["status"].SqlDbType.Should().Be(SqlDbType.SmallInt);
        parameters["status"].Value.Should().Be((short)story.Status);
        parameters["created_at"].SqlDbType.Should().Be(SqlDbType.DateTimeOffset);
        parameters["created_at"].Scale.Should().Be(7);
        parameters["created_at"].Value.Should().Be(Timestamps.Normalize(story.CreatedAt));
        parameters["metadata"].SqlDbType.Should().Be(SqlDbType.NVarChar);
        parameters["metadata"].Size.Should().Be(-1);
        parameters["metadata"].Value.Should().Be(story.Metadata);
    }

    [Fact]
    public void CreateParameter_NullValue_IsDbNull()
    {
        var body = RunEngineTables.Stories.FindColumn("body")!;

        SqlServerInsert.CreateParameter(body, "@p0", null).Value.Should().Be(DBNull.Value);
    }
}
