namespace Svi.Server.Models;

/// <summary>
/// Where weights live: Svi:ModelsDirectory, default <c>models</c> (the same default as the server's SviOptions; the
/// manifests there are embedded in svi.dll, so weights may share the folder).
/// </summary>
public static class ModelsDirectory
{
    public const string Key = "Svi:ModelsDirectory";
    public const string Default = "models";

    public static string Resolve(IConfiguration configuration) =>
        Path.GetFullPath(configuration[Key] is { Length: > 0 } models ? models : Default);
}
