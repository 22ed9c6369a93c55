namespace Svi.Inference.Runtime;

/// <summary>Moves a module's parameters and buffers between host memory and one compute device.</summary>
/// <remarks>The seam swap plans move weights through, so a test can see (and police) every move.</remarks>
public interface IWeightMover
{
    Device Device { get; }
    void ToDevice(nn.Module module);
    void ToHost(nn.Module module);
}
