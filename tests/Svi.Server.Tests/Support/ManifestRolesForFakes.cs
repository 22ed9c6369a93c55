using System.Runtime.CompilerServices;

namespace Svi.Server.Tests.Support;

static class ManifestRolesForFakes
{
    /// <summary>The inventory fake answers which roles a generation needs as the shipped manifest does.</summary>
    [ModuleInitializer]
    internal static void Install() => FixedModelInventory.ManifestRoles = ModelManifest.Default().RolesFor;
}
