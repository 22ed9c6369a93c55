using System.CommandLine;

namespace Svi.Server.Cli;

// PLACEHOLDER: replaced by the issue that implements 'bench'.
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Run a benchmark and print its timings.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("'svi bench' is not implemented yet.");
            return 2;
        });
        return command;
    }
}
