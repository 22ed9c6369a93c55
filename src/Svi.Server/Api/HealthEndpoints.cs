using Svi.Inference.Runtime;
using Svi.Server.Contracts;
using Svi.Server.Storage;

namespace Svi.Server.Api;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the database answers and the data volume has its reserve free
/// (503 otherwise); the body says which generation modes the installed weights allow, so an orchestrator sees a server
/// that is up but cannot render, and how much of the data volume is free.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Liveness("ok"))).WithTags("Health");
        app.MapGet("/readyz", async (GenerationStore store, IModelInventory inventory, DataVolume volume, CancellationToken ct) =>
        {
            string? dbError = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                if (!await store.PingAsync(timeout.Token)) dbError = "unexpected answer";
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException)
            {
                dbError = e.Message;
            }
            var a = inventory.Check();
            var storage = StorageReadiness.Of(volume.Measure().FreeBytes, volume.ReserveBytes);
            bool ready = dbError is null && !storage.IsFull;
            var body = new Readiness(ready ? "ready" : "not_ready", dbError is null ? "ok" : $"unreachable: {dbError}",
                a.Model, ModelModes.From(a), a.Weights, InterpolationSupport.Of(inventory), storage);
            return ready ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }).WithTags("Health").Produces<Readiness>().Produces<Readiness>(StatusCodes.Status503ServiceUnavailable);
    }
}
