using System.CommandLine;

namespace Svi.Server.Cli;

// PLACEHOLDER: replaced by the issue that implements 'generate'.
public static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Generate a video from the command line, without the server.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("'svi generate' is not implemented yet.");
            return 2;
        });
        return command;
    }
}
