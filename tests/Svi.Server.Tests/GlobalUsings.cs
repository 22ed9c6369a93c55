// The namespaces nearly every server test uses.
global using System.Diagnostics;
global using System.Net;
global using System.Text;
global using System.Text.Json;
global using System.Text.RegularExpressions;
global using Microsoft.Extensions.DependencyInjection;
global using Svi.Inference.Pipeline;
global using Svi.Inference.Rendering;
global using Svi.Inference.Runtime;
global using Svi.Server.Hosting;
global using Svi.Server.Jobs;
global using Svi.Server.Media;
global using Svi.Server.Models;
global using Svi.Server.Storage;
global using Svi.Server.Tests.Support;
global using Svi.Testing;
global using static Svi.Server.Tests.Support.Http;
