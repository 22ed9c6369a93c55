namespace Svi.Server.Contracts;

public sealed record ModelSummary(string Id, string Object, long Created, string OwnedBy);
