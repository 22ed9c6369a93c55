namespace Svi.Server.Models;

public sealed record ManifestVariant(string Description, string WeightDType);
