using Svi.Server.Cli;

namespace Svi.Server.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("worker")]
    [InlineData("generate")]
    [InlineData("models")]
    [InlineData("conformance")]
    [InlineData("bench")]
    public void Every_entry_point_is_a_subcommand(string name)
    {
        Assert.Contains(SviCommandLine.Create().Subcommands, c => c.Name == name);
    }
}
