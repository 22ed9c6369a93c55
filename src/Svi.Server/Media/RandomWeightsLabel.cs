namespace Svi.Server.Media;

/// <summary>How a video made from random weights is marked inside the file itself.</summary>
public static class RandomWeightsLabel
{
    public const string Comment =
        "Made by SVI Server with RANDOM weights (Svi:Inference:Weights=random): noise from seeded random models, not SVI 2.0 Pro output.";
}
