using System.Data.Common;

namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>A driver error as a broken connection gives it (a DbException caused by an IOException): transient on every provider.</summary>
internal sealed class SimulatedConnectionBrokenException()
    : DbException("simulated: the connection broke after COMMIT was sent", new IOException("connection reset"));
