using Svi.Server.Cli;

return await SviCommandLine.Create().Parse(args).InvokeAsync();

public partial class Program;
