using System.Reflection;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.Tests.SqlServer;

public sealed class SqlServerErrorsTests
{
    [Theory]
    [InlineData(new[] { 2627, 3621 }, "UniqueViolation")]
    [InlineData(new[] { 2601, 3621 }, "UniqueViolation")]
    [InlineData(new[] { 547, 3621 }, "ForeignKeyViolation")]
    [InlineData(new[] { 3621, 547 }, "ForeignKeyViolation")]
    [InlineData(new[] { 1205 }, "Other")]
    [InlineData(new int[0], "Other")]
    public void Classify_ErrorNumbers_MapsKnownNumbers(int[] numbers, string expected)
    {
        SqlServerErrors.Classify(numbers).Should().Be(Enum.Parse<DbErrorKind>(expected));
    }

    [Theory]
    [InlineData(2627, "UniqueViolation")]
    [InlineData(2601, "UniqueViolation")]
    [InlineData(547, "ForeignKeyViolation")]
    [InlineData(208, "Other")]
    public void Classify_SqlException_DirectOrWrapped_MapsByNumber(int number, string expected)
    {
        var error = CreateSqlException(number);
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        var kind = Enum.Parse<DbErrorKind>(expected);

        provider.Classify(error).Should().Be(kind);
        provider.Classify(new InvalidOperationException("wrapper", error)).Should().Be(kind);
        provider.Classify(new AggregateException(error)).Should().Be(kind);
    }

    [Fact]
    public void Classify_NonSqlException_IsOther()
    {
        SqlServerErrors.Classify(new TimeoutException()).Should().Be(DbErrorKind.Other);
    }

    /// <summary>SqlException has no public constructor; build one the way SqlClient does, through its internal factory.</summary>
    private static SqlException CreateSqlException(int number)
    {
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
        var errorConstructor = typeof(SqlError).GetConstructors(Internal)
            .Where(c => c.GetParameters() is { Length: > 6 } p && p[0].ParameterType == typeof(int) && p[1].ParameterType == typeof(byte))
            .OrderBy(c => c.GetParameters().Length)
            .First();
        var arguments = errorConstructor.GetParameters().Select(p => p.ParameterType switch
        {
            _ when p.Position == 0 => number,
            { } t when t == typeof(byte) => (byte)16,
            { } t when t == typeof(string) => "test",
            { } t when t == typeof(int) => 1,
            { } t when t == typeof(uint) => 0u,
            _ => p.HasDefaultValue ? p.DefaultValue : null,
        }).ToArray();
        var error = (SqlError)errorConstructor.Invoke(arguments);
        var collection = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        typeof(SqlErrorCollection).GetMethod("Add", Internal)!.Invoke(collection, [error]);
        var create = typeof(SqlException).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == "CreateException" && m.GetParameters() is { Length: 2 } p && p[0].ParameterType == typeof(SqlErrorCollection))
            .Single();
        return (SqlException)create.Invoke(null, [collection, "16.0"])!;
    }
}
