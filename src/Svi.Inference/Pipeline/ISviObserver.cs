namespace Svi.Inference.Pipeline;

/// <summary>Sees the pipeline's intermediates (conformance); nothing it receives outlives the call.</summary>
public interface ISviObserver
{
    // y: [1, 20, T, h, w]
    void Conditioning(int clip, Tensor y) { }
    // x: [1, z, T, h, w], step 0 = the initial noise, step i = after i Euler steps
    void Trajectory(int clip, int step, Tensor x) { }
    // latent: [1, z, T, h, w]; decoded: [1, 3, F, H, W] clamped to [−1, 1]
    void Finished(int clip, Tensor latent, Tensor decoded) { }
}
