namespace Svi.Server.Models;

/// <summary>Where a file comes from on the model hub: {hub}/{Repo}/resolve/{Revision}/{Path}.</summary>
public sealed record ModelSource(string Repo, string Revision, string Path);
