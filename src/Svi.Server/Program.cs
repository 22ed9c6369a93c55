using Svi.Kernels.Native;
using Svi.Server.Cli;

// Before libtorch allocates anything: reuse freed tensor memory instead of mapping it anew (see HostAllocator).
HostAllocator.TuneForTensors();
return await SviCommandLine.Create().Parse(args).InvokeAsync();

public partial class Program;
