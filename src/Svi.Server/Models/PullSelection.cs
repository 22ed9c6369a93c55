using Svi.Inference.Pipeline;
using Svi.Inference.Runtime;

namespace Svi.Server.Models;

/// <summary>The roles <c>./svi models pull</c> fetches for its flags: what the manifest says the generations they name need.</summary>
public static class PullSelection
{
    /// <returns>null for every file of the variant (<paramref name="all"/>)</returns>
    public static IReadOnlySet<ModelRole>? Roles(ModelManifest manifest, string recipe, bool t2v, bool interpolation, bool all)
    {
        if (all) return null;
        SviMode[] modes = t2v ? Enum.GetValues<SviMode>() : [SviMode.ImageToVideo];
        return (from mode in modes
                from hd in new[] { false, true }
                from role in manifest.RolesFor(new SviModelChoice(mode, SviRecipes.Parse(recipe), hd, interpolation)) ?? new HashSet<ModelRole>()
                select role).ToHashSet();
    }
}
