namespace Svi.Inference.Pipeline;

/// <summary>
/// The prompt of every clip. <c>prompts[k]</c> drives clip k and the last prompt repeats for the clips after it.
/// A single prompt is split into scenes only at explicit separators: a line holding nothing but three or more
/// dashes (<c>---</c>). Without a separator every clip gets the same prompt.
/// </summary>
public sealed class PromptSchedule
{
    readonly IReadOnlyList<string> prompts;

    public PromptSchedule(IReadOnlyList<string> prompts)
    {
        var cleaned = prompts.Select(p => p.Trim()).ToList();
        if (cleaned.Count == 1) cleaned = SplitScenes(cleaned[0]).ToList();
        if (cleaned.Count == 0 || cleaned.Any(string.IsNullOrEmpty))
            throw new GenerationSpecException("prompt", "every clip needs a non-empty prompt");
        this.prompts = cleaned;
    }

    public IReadOnlyList<string> Prompts => prompts;

    public string ForClip(int clip) => prompts[Math.Min(clip, prompts.Count - 1)];

    /// <summary>Splits one prompt at separator lines (only dashes, at least three); empty scenes are dropped.</summary>
    public static IReadOnlyList<string> SplitScenes(string prompt)
    {
        var scenes = new List<string>();
        var current = new List<string>();
        foreach (var line in prompt.Replace("\r\n", "\n").Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length >= 3 && trimmed.All(c => c == '-'))
            {
                Flush();
                continue;
            }
            current.Add(line);
        }
        Flush();
        return scenes;

        void Flush()
        {
            string scene = string.Join('\n', current).Trim();
            if (scene.Length > 0) scenes.Add(scene);
            current.Clear();
        }
    }
}
