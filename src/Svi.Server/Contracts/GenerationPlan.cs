using System.Text.Json.Nodes;
using Svi.Inference.Pipeline;
using Svi.Server.Storage;

namespace Svi.Server.Contracts;

/// <summary>What a validated spec will render, as the create response and <c>./svi generate --dry-run</c> report it.</summary>
public static class GenerationPlan
{
    /// <summary><c>clips_total</c> at submission: the one call that turns a spec's length into its clip count here.</summary>
    public static int ClipsTotal(GenerationSpec spec) => Durations.EstimatedClips(spec.DurationSeconds);

    /// <summary>The stored spec (<see cref="SpecJson"/>) and its <c>clips_total</c>, under the native response's field names.</summary>
    public static JsonObject Describe(GenerationSpec spec)
    {
        var json = SpecJson.Write(spec);
        json["clips_total"] = ClipsTotal(spec);
        return json;
    }
}
