using System.Data.Common;
using System.Net.Sockets;
using RunEngine.Data.SqlServer;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.Resilience;

/// <summary>SQL Server's transient numbers, on SqlExceptions built like SqlClient builds them (no server).</summary>
public sealed class SqlServerTransientErrorsTests
{
    public static TheoryData<int> TransientNumbers() =>
        [1205, 1222, 40501, 49918, 49919, 49920, 10928, 10929, 40613, 40197, 40540, 4060, 10053, 10054, 10060, 233, 64, 121, -2];

    [Theory]
    [MemberData(nameof(TransientNumbers))]
    public void IsTransient_ListedNumber_IsTransientWithItsReason(int number)
    {
        var error = SqlExceptions.Create(number);

        RunEngineDatabase.IsTransient(error).Should().BeTrue();
        SqlServerTransientErrors.Reason(error).Should().Be($"sqlserver:{number}");
    }

    [Theory]
    [InlineData(2627)] // unique constraint
    [InlineData(2601)] // unique index
    [InlineData(547)] // foreign key
    [InlineData(515)] // NULL into a NOT NULL column
    [InlineData(8152)] // string or binary data would be truncated
    [InlineData(102)] // syntax
    [InlineData(229)] // permission denied
    [InlineData(18456)] // login failed
    [InlineData(0)]
    public void IsTransient_OtherNumber_IsNotTransient(int number)
    {
        RunEngineDatabase.IsTransient(SqlExceptions.Create(number)).Should().BeFalse();
    }

    [Fact]
    public void IsTransient_ConnectionResetWithoutListedNumber_IsTransient()
    {
        var reset = SqlExceptions.Create(0, new IOException("Unable to read data from the transport connection", new SocketException(104)));

        RunEngineDatabase.IsTransient(reset).Should().BeTrue();
        SqlServerTransientErrors.Reason(reset).Should().Be("io");
    }

    [Fact]
    public void IsTransient_Wrapped_IsReadThroughTheWrapper()
    {
        var wrapped = new InvalidOperationException("bulk copy failed", SqlExceptions.Create(1205));

        RunEngineDatabase.IsTransient(wrapped).Should().BeTrue();
        RunEngineDatabase.IsTransient(new AggregateException(SqlExceptions.Create(40613))).Should().BeTrue();
    }

    [Fact]
    public void IsTransient_LibraryErrorsAndCancellation_AreNotTransient()
    {
        RunEngineDatabase.IsTransient(new BatchValidationException("Story", 3, "Id", "exists", SqlExceptions.Create(1205))).Should().BeFalse();
        RunEngineDatabase.IsTransient(new OperationCanceledException()).Should().BeFalse();
        RunEngineDatabase.IsTransient(new IOException("a file of the caller's")).Should().BeFalse("an I/O error outside a driver's exception is not the database's");
        RunEngineDatabase.IsTransient(new TransientFaultException("gave up", SqlExceptions.Create(1205), 5, "write_cycle")).Should().BeTrue();
    }

    [Fact]
    public void IsTransient_UnknownDriverException_TrustsItsIsTransientAndItsCause()
    {
        RunEngineDatabase.IsTransient(new FakeDbException("broken", new IOException())).Should().BeTrue();
        RunEngineDatabase.IsTransient(new FakeDbException("stalled", new TimeoutException())).Should().BeTrue();
        RunEngineDatabase.IsTransient(new FakeDbException("other", null)).Should().BeFalse();
        RunEngineDatabase.IsTransient(new FakeDbException("driver says so", null, transient: true)).Should().BeTrue();
    }

    [Fact]
    public void IsTransient_Null_Throws()
    {
        var act = () => RunEngineDatabase.IsTransient(null!);

        act.Should().Throw<ArgumentNullException>();
    }

    private sealed class FakeDbException(string message, Exception? inner, bool transient = false) : DbException(message, inner)
    {
        public override bool IsTransient => transient;
    }
}
