using Svi.Inference.Runtime;

namespace Svi.Server.Models;

/// <summary>The roles <c>./svi models pull</c> fetches for its flags.</summary>
public static class PullSelection
{
    /// <returns>null for every file of the variant (<paramref name="all"/>)</returns>
    public static IReadOnlySet<ModelRole>? Roles(ModelManifest manifest, string recipe, bool t2v, bool interpolation, bool all)
    {
        if (all) return null;
        HashSet<ModelRole> roles = [.. manifest.RolesFor(ModelManifest.ImageToVideo, recipe)];
        if (t2v)
            foreach (var mode in new[] { ModelManifest.TextToVideoQuality, ModelManifest.TextToVideoFast }.Where(manifest.Modes.ContainsKey))
                roles.UnionWith(manifest.RolesFor(mode, recipe));
        if (interpolation) roles.Add(ModelRole.Interpolation);
        return roles;
    }
}
