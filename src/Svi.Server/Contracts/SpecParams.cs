namespace Svi.Server.Contracts;

/// <summary>
/// What a surface calls the fields whose names differ (OpenAI's <c>size</c> and <c>seconds</c> are the native
/// <c>resolution</c> and <c>duration</c>), so that one validator's errors name the field the caller sent.
/// </summary>
public sealed record SpecParams(string Resolution, string Duration, bool AcceptsPrompts)
{
    /// <summary>The native body; <c>./svi generate</c>'s flags carry the same names.</summary>
    public static SpecParams Native { get; } = new("resolution", "duration", AcceptsPrompts: true);
    public static SpecParams OpenAi { get; } = new("size", "seconds", AcceptsPrompts: false);
}
