namespace RunEngine.Data.IntegrationTests.Faults;

/// <summary>Whether the database of a matrix cell retries (<see cref="RetryOptions.Enabled"/>).</summary>
public enum RetryMode
{
    /// <summary>Retry on, with tiny delays.</summary>
    On,

    /// <summary><c>Retry.Enabled = false</c>.</summary>
    Off,
}
