using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;
using Svi.Server.Hosting;
using Svi.Server.Images;
using Svi.Server.Models;

namespace Svi.Server.Contracts;

/// <summary>The machine-readable description of <c>svi-2-0-pro</c>'s request parameters (<c>GET /v1/models/svi-2-0-pro</c>).</summary>
public static class ModelSchema
{
    public static object Parameters(SviOptions options, SviDefaults defaults, DeploymentResolutions resolutions, InterpolationSupport fps32) => new Dictionary<string, object>
    {
        ["model"] = new { type = "string", required = false, @default = ModelCatalog.SviProId, allowed = new[] { ModelCatalog.SviProId }.Concat(options.ModelAliases.Keys) },
        ["prompt"] = new { type = "string", required = true, max_length = GenerationRequest.MaxPromptLength, description = "What happens in the video." },
        ["prompts"] = new
        {
            type = "array",
            items = "string",
            required = false,
            min_items = 1,
            max_items = GenerationRequest.MaxClips,
            description = "One prompt per clip; the last repeats. 'prompt', when also given, replaces the first."
        },
        ["image"] = new
        {
            type = "image",
            required = false,
            forms = new[] { "file part", "http(s) URL", "data URI", "base64" },
            formats = InputImageDecoder.AcceptedFormats,
            max_bytes = options.MaxImageBytes,
            max_pixels = options.MaxImagePixels,
            description = "The anchor image (image-to-video). Absent: text-to-video."
        },
        ["resolution"] = new { type = "string", required = false, @default = options.DefaultResolution, allowed = resolutions.Supported },
        ["duration"] = new
        {
            type = "number",
            unit = "seconds",
            required = false,
            @default = Durations.DefaultSeconds,
            exclusive_minimum = 0,
            minimum_rendered = ClipPlanner.MinDurationSeconds,
            maximum = ClipPlanner.MaxDurationSeconds,
            description = "Length of the video: the fewest 81-frame clips at 16 fps that cover it, the last cut to round(seconds × 16) frames; below one clip rounds up to one clip."
        },
        ["recipe"] = new
        {
            type = "string",
            required = false,
            @default = defaults.Recipe.Name(),
            allowed = SviRecipes.Names,
            description = "How the clips are sampled; 'recipes' below gives each one's steps, cfg range, LoRA files and expected time."
        },
        ["cfg"] = new
        {
            type = "number",
            required = false,
            @default = defaults.Settings(defaults.Recipe).DefaultCfg,
            minimum = defaults.Settings(defaults.Recipe).MinCfg,
            maximum = defaults.Settings(defaults.Recipe).MaxCfg,
            by_recipe = new[] { defaults.Distilled, defaults.Reference }.ToDictionary(r => r.Recipe.Name(),
                r => new { @default = r.DefaultCfg, minimum = r.MinCfg, maximum = r.MaxCfg }),
            description = "Guidance scale; above 1 runs the negative pass (twice the work). distilled: 1.0–1.3 lets a multi-scene " +
                          "prompt flow, 1.5–2.0 follows each scene literally; reference: the official script uses 4–5."
        },
        ["negative_prompt"] = new
        {
            type = "string",
            required = false,
            @default = SviDefaults.NegativePrompt,
            description = "What to avoid. The default is the hosted API's English string, verbatim; a negative prompt reaches the " +
                          "text encoder only when cfg > 1 (at cfg 1 no negative pass runs). Wan's own Chinese sample_neg_prompt, " +
                          "which the reference script uses, may be sent as it is."
        },
        ["t2v_quality"] = new
        {
            type = "string",
            required = false,
            @default = "quality",
            allowed = T2vQualities.Names,
            description = "Text-to-video path; ignored with an image."
        },
        [LoraStrengthFields.Field] = new
        {
            type = "object",
            required = false,
            keys = LoraStrengths.Names,
            minimum = LoraStrengths.Min,
            maximum = LoraStrengths.Max,
            by_recipe = new[] { SviRecipe.Distilled, SviRecipe.Reference }.ToDictionary(r => r.Name(), r => defaults.LorasFor(r).ByName()),
            description = "Strength each LoRA merges at, by manifest role; a LoRA not named keeps the deployment's (by_recipe: the " +
                          "LoRAs each recipe loads and their defaults). Strengths other than the loaded models' cost the worker an expert reload."
        },
        ["seed"] = new { type = "integer", required = false, minimum = 0, maximum = long.MaxValue, description = "Random when absent." },
        ["fps"] = new
        {
            type = "integer",
            required = false,
            @default = options.Output.Fps,
            allowed = OutputFps.Supported,
            interpolation_available = fps32.Available,
            interpolation_unavailable_reason = fps32.Problem,
            description = "Frames per second of the MP4. 32: RIFE v4.9 (ONNX Runtime) inserts the middle frame between every two " +
                          "frames, seams between clips included, so N frames become 2N − 1 over the same length; needs the " +
                          "interpolation model ('./svi models pull --interpolation')."
        },
    };

    /// <summary>
    /// Each recipe as it runs here: sampling, cfg range, the LoRA files on each expert per resolution (from the manifest)
    /// and the expected time per clip.
    /// </summary>
    public static object Recipes(SviDefaults defaults, DeploymentResolutions resolutions, IModelInventory inventory, ModelManifest? manifest) =>
        new[] { defaults.Distilled, defaults.Reference }.ToDictionary(r => r.Recipe.Name(), r => (object)new
        {
            @default = r.Recipe == defaults.Recipe,
            preset = r.Preset,
            workflow = r.Workflow,
            steps = r.Steps,
            shift = r.Shift,
            sampler = r.Sampler,
            workflow_sampler = r.WorkflowSampler,
            sampler_note = r.SamplerExact ? null : $"the workflow samples with {r.WorkflowSampler}; this deployment runs {r.Sampler} instead (Svi:Inference:Distilled:Sampler)",
            distill_strengths = r.Recipe == SviRecipe.Distilled ? new { high_noise_expert = r.DistillHighStrength, low_noise_expert = r.DistillLowStrength } : null,
            lora_strengths = defaults.LorasFor(r.Recipe).ByName(),
            expert_switch = r.HighNoiseSteps is { } high
                ? $"the first {high} steps on the high-noise expert, the rest on the low-noise expert"
                : $"high-noise expert while t >= {r.Boundary * 1000:0}, then the low-noise expert",
            cfg = new { @default = r.DefaultCfg, minimum = r.MinCfg, maximum = r.MaxCfg },
            loras = resolutions.Supported.ToDictionary(res => res, res =>
            {
                Resolutions.TryParse(res, out var size);
                var roles = inventory.RolesFor(new SviModelChoice(SviMode.ImageToVideo, r.Recipe, SviRecipes.IsHd(size.Width, size.Height)))
                    ?? new HashSet<ModelRole>();
                var strengths = defaults.LorasFor(r.Recipe);
                return new
                {
                    high_noise_expert = Files(manifest, ModelRole.LoraHigh, strengths).Concat(new[] { ModelRole.DistillLoraHigh }
                        .Where(roles.Contains).SelectMany(d => Files(manifest, d, strengths))),
                    low_noise_expert = Files(manifest, ModelRole.LoraLow, strengths).Concat(new[] { ModelRole.DistillLoraLow }
                        .Where(roles.Contains).SelectMany(d => Files(manifest, d, strengths))),
                };
            }),
            expected_time = ClipTimeEstimates.Describe(r, resolutions.Supported),
        });

    static IEnumerable<object> Files(ModelManifest? manifest, ModelRole role, LoraStrengths strengths) =>
        (manifest?.Files.Where(f => f.Role == role).Select(f => Path.GetFileName(f.Path)).Distinct() ?? [role.ToString()])
            .Select(file => new { file, role = role.ToString(), strength = strengths.Get(role) });

    public static object OpenAiParameters(SviOptions options, DeploymentResolutions resolutions) => new Dictionary<string, object>
    {
        ["prompt"] = new { type = "string", required = true },
        ["model"] = new { type = "string", required = false, @default = ModelCatalog.SviProId },
        ["seconds"] = new
        {
            type = "string (number)",
            required = false,
            @default = OpenAiVideoRequest.DefaultSeconds,
            exclusive_minimum = 0,
            minimum_rendered = ClipPlanner.MinDurationSeconds,
            maximum = ClipPlanner.MaxDurationSeconds
        },
        ["size"] = new { type = "string", required = false, @default = options.DefaultResolution, allowed = resolutions.Supported },
        ["input_reference"] = new
        {
            type = "image",
            required = false,
            forms = new[] { "file part", "input_reference[image_url]", "{\"image_url\": ...}" },
            formats = InputImageDecoder.AcceptedFormats
        },
    };
}
