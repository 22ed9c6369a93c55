using System.Text.Json.Nodes;
using Svi.Inference.Pipeline;
using Svi.Server.Storage;

namespace Svi.Server.Contracts;

/// <summary>What a validated spec will render, as the create response and <c>./svi generate --dry-run</c> report it.</summary>
public static class GenerationPlan
{
    /// <summary><c>clips_total</c> at submission: the number of clips <see cref="ClipPlanner"/> plans for the spec's length.</summary>
    public static int ClipsTotal(GenerationSpec spec) => ClipPlanner.ForSeconds(spec.DurationSeconds).Clips;

    /// <summary>
    /// The stored spec (<see cref="SpecJson"/>) with the rendered length as <c>duration</c> and its <c>clips_total</c>,
    /// under the native response's field names.
    /// </summary>
    public static JsonObject Describe(GenerationSpec spec)
    {
        var plan = ClipPlanner.ForSeconds(spec.DurationSeconds);
        var json = SpecJson.Write(spec);
        json["duration"] = plan.Seconds;
        json["clips_total"] = plan.Clips;
        return json;
    }
}
