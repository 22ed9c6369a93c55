using Svi.Inference.Pipeline;
using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>
/// The one place a generation's fields are checked and its defaults filled in: the native surface, the OpenAI surface and
/// <c>./svi generate</c> all turn their <see cref="SpecInput"/> into a <see cref="GenerationSpec"/> here, so the same bad
/// value gets the same error (an <see cref="ApiException"/>; the command line prints its message).
/// </summary>
public sealed class SpecValidator(SviOptions options, SviDefaults defaults, DeploymentResolutions resolutions)
{
    public const int MaxPromptLength = 20_000;
    public const int MaxClips = 24;
    public const string DescribePrompts = "an array of 1 to 24 non-empty strings, one prompt per clip (the last repeats)";

    /// <summary>
    /// A seed drawn for a request without one: below 2^53, so that JavaScript clients, whose numbers are doubles, can send it
    /// back unchanged.
    /// </summary>
    public static long DrawSeed() => Random.Shared.NextInt64(0, 1L << 53);

    public static string DescribeSeed(string p) => $"'{p}' must be an integer from 0 to {long.MaxValue}";

    public GenerationSpec Validate(SpecInput input, SpecParams names)
    {
        var model = ModelCatalog.Resolve(input.Model, options.ModelAliases);
        var prompts = Prompts(input, names);
        var size = resolutions.Parse(names.Resolution, input.Resolution ?? options.DefaultResolution);

        var duration = input.Duration ?? Durations.DefaultSeconds;
        var effective = Durations.Effective(duration)
            ?? throw ApiException.Invalid(names.Duration, $"{Durations.Describe(names.Duration)}; got {Durations.Format(duration)}.");

        var recipe = Recipe(input.Recipe);
        var settings = defaults.Settings(recipe);
        if (input.Cfg is { } cfg) RecipeFields.Check(cfg, settings);
        var loras = LoraStrengthFields.Resolve(input.LoraStrengths, defaults.LorasFor(recipe), recipe);

        if (input.NegativePrompt is { Length: > MaxPromptLength } negative)
            throw ApiException.Invalid("negative_prompt",
                $"'negative_prompt' is {negative.Length} characters long; the limit is {MaxPromptLength}.", "string_too_long");
        var quality = input.T2vQuality ?? T2vQuality.Quality.Name();
        if (!T2vQualities.TryParse(quality, out var t2v))
            throw ApiException.Invalid("t2v_quality", $"'t2v_quality' must be one of {string.Join(", ", T2vQualities.Names)}; got '{quality}'.");

        var fps = input.Fps ?? options.Output.Fps;
        if (!OutputFps.Supported.Contains((int)Math.Clamp(fps, int.MinValue, int.MaxValue)))
            throw ApiException.Invalid("fps", $"{OutputFps.Describe("fps")}; got {fps}.");

        if (input.Seed < 0) throw ApiException.Invalid("seed", $"{DescribeSeed("seed")}; got {input.Seed}.");
        WebhookUrlPolicy.Check(input.WebhookUrl, options.Webhooks.AllowPrivateAddresses);

        return new GenerationSpec
        {
            Model = model,
            Prompts = prompts,
            NegativePrompt = input.NegativePrompt ?? SviDefaults.NegativePrompt,
            Width = size.Width,
            Height = size.Height,
            DurationSeconds = effective,
            Recipe = recipe,
            Steps = settings.Steps,
            Cfg = input.Cfg ?? settings.DefaultCfg,
            Seed = input.Seed ?? DrawSeed(),
            HasImage = input.HasImage,
            T2vQuality = t2v,
            Fps = (int)fps,
            LoraStrengths = loras,
        };
    }

    /// <summary>The cfg rule of the recipe a request names (the deployment's when it names none or an unknown one).</summary>
    public string DescribeCfg(string param, string? recipe) =>
        RecipeFields.DescribeCfg(param, defaults.Settings(SviRecipes.TryParse(recipe, out var r) ? r : defaults.Recipe));

    SviRecipe Recipe(string? text)
    {
        if (text is null) return defaults.Recipe;
        if (!SviRecipes.TryParse(text, out var recipe))
            throw ApiException.Invalid("recipe", $"'recipe' must be one of {string.Join(", ", SviRecipes.Names)}; got '{text}'.");
        return recipe;
    }

    static IReadOnlyList<string> Prompts(SpecInput input, SpecParams names)
    {
        if (input.Prompt is { Length: > MaxPromptLength } longPrompt)
            throw ApiException.Invalid("prompt", $"'prompt' is {longPrompt.Length} characters long; the limit is {MaxPromptLength}.", "string_too_long");
        if (input.Prompts is { } prompts)
        {
            if (prompts.Count == 0 || prompts.Count > MaxClips || prompts.Any(string.IsNullOrWhiteSpace))
                throw ApiException.Invalid("prompts", $"'prompts' must be {DescribePrompts}.");
            if (prompts.Any(p => p.Length > MaxPromptLength))
                throw ApiException.Invalid("prompts", $"Every entry of 'prompts' must be at most {MaxPromptLength} characters.", "string_too_long");
            return input.Prompt is null ? prompts : [input.Prompt, .. prompts.Skip(1)];
        }
        if (string.IsNullOrWhiteSpace(input.Prompt))
            throw ApiException.Missing("prompt", names.AcceptsPrompts
                ? "a non-empty string describing the video (or 'prompts', one per clip)"
                : "a non-empty string describing the video");
        return [input.Prompt];
    }
}
