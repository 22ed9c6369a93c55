namespace Svi.Kernels.TorchZip;

/// <summary>A call recorded by REDUCE/NEWOBJ whose callable we do not know how to run: kept as data.</summary>
public sealed record PickleCall(PickleGlobal Callable, object?[] Arguments);
