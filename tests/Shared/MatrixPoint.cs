namespace RunEngine.Data.Testing;

/// <summary>The fault points of the matrix (each made of one <see cref="WireFault"/>, or a cut of every connection).</summary>
public enum MatrixPoint
{
    /// <summary>The operation's new physical connection is cut as soon as it is accepted (killed at open).</summary>
    AtOpen,

    /// <summary>
    /// A pooled connection is cut at the operation's first message, before any byte of it reaches the server. When that
    /// message is the one autocommit write, the client has handed it to the socket: to it the outcome is unknown.
    /// </summary>
    BeforeFirstByte,

    /// <summary>In the middle of the operation's COPY (PostgreSQL, after a CopyData) or bulk load (SQL Server, after N bytes).</summary>
    MidBulk,

    /// <summary>Right after the COMMIT (or the one autocommit write statement) was executed: the reply is lost.</summary>
    AfterCommit,

    /// <summary>The COMMIT (or the one autocommit statement) is held beyond the command timeout, then the connection cut.</summary>
    StallBeyondTimeout,

    /// <summary>Every idle pooled connection is killed before the call.</summary>
    IdleConnectionKilled,
}
