namespace Svi.Inference.Tests.Golden;

/// <summary>A fact that needs <c>../shared/golden</c> beside the checkout (the build environment's originals); skipped, with the reason shown, elsewhere.</summary>
public sealed class SharedGoldenFactAttribute : FactAttribute
{
    public SharedGoldenFactAttribute()
    {
        if (!Directory.Exists(GoldenSets.BesideRepository))
            Skip = $"no {Path.GetFullPath(GoldenSets.BesideRepository)} beside this checkout to compare tests/golden with";
    }
}
