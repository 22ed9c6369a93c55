namespace Svi.Testing;

/// <summary>A tensor assertion failed; the message names the shapes or the differences.</summary>
public sealed class TensorMismatchException(string message) : Exception(message);
