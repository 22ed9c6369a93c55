namespace Svi.Inference.Pipeline;

/// <param name="RunKey">what the run was started with (spec, plan, sampling); a checkpoint of another run is ignored</param>
/// <param name="FinishedClips">clips whose frames are encoded and whose motion latents are stored</param>
/// <param name="FramesWritten">output frames encoded so far</param>
/// <param name="Seed">the request seed the clip seeds derive from</param>
public sealed record SviCheckpoint(string RunKey, int FinishedClips, int FramesWritten, long Seed);
