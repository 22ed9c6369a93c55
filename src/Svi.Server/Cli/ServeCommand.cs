using System.CommandLine;

namespace Svi.Server.Cli;

// PLACEHOLDER: replaced by the issue that implements 'serve'.
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Start the HTTP API and a GPU worker in one process.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("'svi serve' is not implemented yet.");
            return 2;
        });
        return command;
    }
}
