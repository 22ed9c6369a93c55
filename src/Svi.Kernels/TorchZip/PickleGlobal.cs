namespace Svi.Kernels.TorchZip;

/// <summary>A <c>module.name</c> reference from a pickle (a class or function we do not execute).</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";
}
