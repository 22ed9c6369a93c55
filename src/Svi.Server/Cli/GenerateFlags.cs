using System.CommandLine;
using Svi.Inference.Pipeline;
using Svi.Server.Contracts;
using Svi.Server.Images;

namespace Svi.Server.Cli;

/// <summary>
/// <c>./svi generate</c>'s flags. Those of the request map onto a <see cref="SpecInput"/> under the native body's names, so
/// the server's <see cref="SpecValidator"/> checks them and fills in the same defaults; the rest say how to run it here.
/// </summary>
public sealed class GenerateFlags
{
    public Option<FileInfo?> Image { get; } = new("--image") { Description = $"Input image ({InputImageDecoder.AcceptedList}), decoded as the server decodes an upload (EXIF orientation applied, transparency on white): the first frame and anchor of the video. Without it the video is made from the prompt alone (text-to-video: the anchor frame is generated first)." };
    public Option<string[]> Prompts { get; } = new("--prompt") { Description = "What happens in the video. Repeat for one prompt per 81-frame clip (the last repeats); a single prompt may separate scenes with lines of '---'.", Required = true, AllowMultipleArgumentsPerToken = false };
    public Option<string?> Negative { get; } = new("--negative-prompt") { Description = "What to avoid (default: the hosted contract's English negative prompt; encoded only when cfg > 1)." };
    public Option<double?> Duration { get; } = new("--duration") { Description = $"Length in seconds, as the API's 'duration': up to {Durations.Format(ClipPlanner.MaxDurationSeconds)}, shorter than one clip rounds up to one (default {Durations.Format(Durations.DefaultSeconds)}; 16 fps, the video has round(duration × 16) frames)." };
    public Option<string?> Resolution { get; } = new("--resolution") { Description = $"One of the server's sizes ({string.Join(", ", Resolutions.Buckets)}) that this deployment's architecture renders (tiny: the 480p pair); default Svi:DefaultResolution. The image is scaled to cover it and centre-cropped." };
    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed of the whole video (each clip derives its own); the same seed and flags give the same video. Default: random." };
    public Option<string?> Recipe { get; } = new("--recipe") { Description = "distilled (SVI 2.0 Pro + LightX2V distill LoRAs, 6 steps split 3 + 3, cfg 1–2) or reference (the official 50 steps, cfg 1–10). Default Svi:Inference:Recipe (distilled)." };
    public Option<double?> Cfg { get; } = new("--cfg") { Description = "Classifier-free guidance scale; 1 skips the negative pass. Default: the recipe's (distilled Svi:Inference:Distilled:Guidance, 1.0 with the default kijai preset; reference Svi:Inference:Guidance, 5)." };
    public Option<int?> Steps { get; } = new("--steps") { Description = "Denoising steps per clip (default: the recipe's, Svi:Inference:Distilled:Steps 6 or Svi:Inference:Steps 50)." };
    public Option<string?> Device { get; } = new("--device") { Description = "auto, cpu, cuda or cuda:N (default Svi:Inference:Device, auto: the first CUDA device, else the CPU)." };
    public Option<int> Motion { get; } = new("--motion-latents") { Description = "Latents carried from one clip into the next (m); each later clip drops its first 1 + 4m frames.", DefaultValueFactory = _ => 1 };
    public Option<string?> T2v { get; } = new("--t2v-quality") { Description = $"Without --image: 'quality' makes the anchor frame with Wan 2.2 T2V-A14B, 'fast' with its few-step distilled variant (one of {string.Join(", ", T2vQualities.Names)}; default quality)." };
    public Option<DirectoryInfo> ModelsDir { get; } = new("--models-dir") { Description = "Where the model weights are installed (see ./svi models).", DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("Svi__ModelsDirectory") ?? "models") };
    public Option<long?> Fps { get; } = new("--fps") { Description = "16 (as rendered) or 32: RIFE v4.9 through ONNX Runtime inserts the middle frame between every two frames (needs ./svi models pull --interpolation). Default Svi:Output:Fps (16)." };
    public Option<string[]> LoraStrengths { get; } = new("--lora-strength") { Description = $"ROLE=VALUE, repeatable: the strength a LoRA merges at, as the API's 'lora_strengths' (roles {string.Join(", ", Inference.Pipeline.LoraStrengths.Names)}; the distill ones only with the distilled recipe; {Inference.Pipeline.LoraStrengths.Min:0} to {Inference.Pipeline.LoraStrengths.Max:0}). A LoRA not named keeps Svi:Inference:LoraHighStrength, LoraLowStrength, Distilled:DistillHighStrength or DistillLowStrength.", AllowMultipleArgumentsPerToken = false };
    public Option<FileInfo> Output { get; } = new("--output") { Description = "The MP4 to write. Its work files (checkpoints, parts) sit beside it in .<name>.work/, so re-running the same command resumes after the last finished clip.", DefaultValueFactory = _ => new FileInfo("video.mp4") };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the validated request and its clip plan as JSON (the fields the server stores and its native response shows: clips_total, duration, …) and stop; no weights are loaded." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
                 {
                     Image, Prompts, Negative, Duration, Resolution, Seed, Recipe, Cfg, Steps, Device, Motion, T2v, ModelsDir, Fps,
                     LoraStrengths, Output, DryRun,
                 })
            command.Options.Add(option);
    }

    /// <summary>The request the flags describe, as the native body would carry it.</summary>
    public SpecInput Input(ParseResult parse)
    {
        var prompts = parse.GetValue(Prompts) ?? [];
        return new SpecInput
        {
            Prompt = prompts.Length == 1 ? prompts[0] : null,
            Prompts = prompts.Length == 1 ? null : prompts,
            NegativePrompt = parse.GetValue(Negative),
            Resolution = parse.GetValue(Resolution),
            Duration = parse.GetValue(Duration),
            Recipe = parse.GetValue(Recipe),
            Cfg = parse.GetValue(Cfg),
            Seed = parse.GetValue(Seed),
            T2vQuality = parse.GetValue(T2v),
            Fps = parse.GetValue(Fps),
            LoraStrengths = LoraStrengthFields.Parse(parse.GetValue(LoraStrengths) ?? []),
            HasImage = parse.GetValue(Image) is not null,
        };
    }
}
