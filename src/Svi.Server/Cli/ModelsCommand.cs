using System.CommandLine;

namespace Svi.Server.Cli;

// PLACEHOLDER: replaced by the issue that implements 'models'.
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List, download and verify model weights.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("'svi models' is not implemented yet.");
            return 2;
        });
        return command;
    }
}
