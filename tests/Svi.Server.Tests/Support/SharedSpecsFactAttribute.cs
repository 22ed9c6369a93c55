namespace Svi.Server.Tests.Support;

/// <summary>A fact that needs <c>../shared/specs</c> beside the checkout (the build environment's originals); skipped, with the reason shown, elsewhere.</summary>
public sealed class SharedSpecsFactAttribute : FactAttribute
{
    public static string Folder => Path.GetFullPath(Path.Combine(RepositoryRoot.Find(), "..", "shared", "specs"));

    public SharedSpecsFactAttribute()
    {
        if (!Directory.Exists(Folder))
            Skip = $"no {Folder} beside this checkout to compare tests/contract with";
    }
}
