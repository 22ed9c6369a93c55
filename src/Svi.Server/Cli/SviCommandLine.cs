using System.CommandLine;

namespace Svi.Server.Cli;

/// <summary>The <c>./svi</c> command tree. Each subcommand lives in its own file.</summary>
public static class SviCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "SVI Server: Stable Video Infinity 2.0 Pro on Wan 2.2, served over an OpenAI-style HTTP API.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(ConformanceCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
