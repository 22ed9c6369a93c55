using System.CommandLine;

namespace Svi.Server.Cli;

// PLACEHOLDER: replaced by the issue that implements 'conformance'.
public static class ConformanceCommand
{
    public static Command Create()
    {
        var command = new Command("conformance", "Check a component against a golden set of the reference implementation.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("'svi conformance' is not implemented yet.");
            return 2;
        });
        return command;
    }
}
