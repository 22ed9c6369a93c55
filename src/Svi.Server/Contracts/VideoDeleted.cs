namespace Svi.Server.Contracts;

public sealed record VideoDeleted(string Id, string Object, bool Deleted);
