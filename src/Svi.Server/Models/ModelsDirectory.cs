using Microsoft.Extensions.Configuration;

namespace Svi.Server.Models;

/// <summary>Where weights live: Svi:ModelsDirectory, else {Svi:DataDirectory}/models, else ./.data/models.</summary>
public static class ModelsDirectory
{
    public static string Resolve(IConfiguration configuration)
    {
        if (configuration["Svi:ModelsDirectory"] is { Length: > 0 } models) return Path.GetFullPath(models);
        string data = configuration["Svi:DataDirectory"] is { Length: > 0 } d ? d : ".data";
        return Path.GetFullPath(Path.Combine(data, "models"));
    }
}
