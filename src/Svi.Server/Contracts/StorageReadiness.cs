namespace Svi.Server.Contracts;

/// <summary>The data volume in <c>GET /readyz</c>.</summary>
/// <param name="Status">ok; low: below twice the reserve; full: below the reserve, so new videos are refused (not ready)</param>
/// <param name="FreeBytes">bytes still writable on the volume that holds the data directory</param>
/// <param name="ReserveBytes"><c>Svi:Storage:MinFreeBytes</c>, the bytes admission keeps free</param>
public sealed record StorageReadiness(string Status, long FreeBytes, long ReserveBytes)
{
    public bool IsFull => Status == "full";

    public static StorageReadiness Of(long freeBytes, long reserveBytes) =>
        new(freeBytes < reserveBytes ? "full" : freeBytes < 2 * reserveBytes ? "low" : "ok", freeBytes, reserveBytes);
}
