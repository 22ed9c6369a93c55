using System.Text.RegularExpressions;

namespace Svi.Server.Storage;

/// <summary>Generation ids look like OpenAI's video ids: <c>video_</c> + 32 hex digits.</summary>
public static partial class GenerationIds
{
    public static string New() => "video_" + Guid.NewGuid().ToString("N");

    public static bool IsValid(string id) => Shape().IsMatch(id);

    [GeneratedRegex("^video_[0-9a-f]{32}$")]
    private static partial Regex Shape();
}
