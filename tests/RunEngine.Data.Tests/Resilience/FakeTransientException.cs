namespace RunEngine.Data.Tests.Resilience;

/// <summary>What the engine tests' classifier calls transient.</summary>
internal sealed class FakeTransientException(string message) : Exception(message);
