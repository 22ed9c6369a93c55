namespace Svi.Server.Tests.Support;

/// <summary>
/// A fact that renders many tiny random-weight clips through real <c>svi serve</c>/<c>svi worker</c> processes. On a
/// 2-core CPU the tiny VAE's full-resolution convolutions make that well over the suite's time budget (see
/// bench/RESULTS.md, "Tiny random architecture on the CPU"), so these run only when <c>SVI_PROCESS_TESTS=1</c>.
/// </summary>
public sealed class ProcessFactAttribute : FactAttribute
{
    public const string Variable = "SVI_PROCESS_TESTS";

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    public ProcessFactAttribute()
    {
        if (!Enabled) Skip = $"renders tiny clips through child processes for too long on a small CPU; set {Variable}=1 to run";
    }
}
