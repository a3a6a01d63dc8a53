using RunEngine.Data.Testing;

namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>The cells of the fault matrix: fault point × operation × retry mode, where the point exists for the operation.</summary>
public static class FaultMatrixCells
{
    /// <summary>
    /// Every cell a provider has. <paramref name="bulkOperations"/> are the operations that send a COPY or bulk load
    /// (only they have <see cref="MatrixPoint.MidBulk"/>). A killed idle connection is a cell with retry on only: with
    /// retry off the host asked for no second attempt, and the first use of a dead pooled connection is such an attempt.
    /// </summary>
    public static TheoryData<FaultOperation, MatrixPoint, RetryMode> For(IReadOnlySet<FaultOperation> bulkOperations)
    {
        ArgumentNullException.ThrowIfNull(bulkOperations);
        var cells = new TheoryData<FaultOperation, MatrixPoint, RetryMode>();
        foreach (var point in Enum.GetValues<MatrixPoint>())
        {
            foreach (var operation in Enum.GetValues<FaultOperation>())
            {
                if (point == MatrixPoint.MidBulk && !bulkOperations.Contains(operation))
                {
                    continue;
                }

                foreach (var retry in Enum.GetValues<RetryMode>())
                {
                    if (point == MatrixPoint.IdleConnectionKilled && retry == RetryMode.Off)
                    {
                        continue;
                    }

                    cells.Add(operation, point, retry);
                }
            }
        }

        return cells;
    }
}
