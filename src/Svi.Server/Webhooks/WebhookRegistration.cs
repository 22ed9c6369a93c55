using Hangfire;
using Svi.Server.Jobs;

namespace Svi.Server.Webhooks;

public static class WebhookRegistration
{
    /// <summary>
    /// The dispatcher runs wherever a generation can end (API: cancel; worker: complete, fail); the deliveries run on a
    /// Hangfire server of their own in every process, on the <c>webhooks</c> queue, only when something can be delivered.
    /// </summary>
    /// <param name="settings">the <c>Svi:Webhooks</c> section as configured, read once to decide whether deliveries run here</param>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, WebhookOptions settings)
    {
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IFinishedGenerationHandler, WebhookDispatcher>();
        services.AddTransient<WebhookDeliveryJob>();
        if (!settings.Enabled) return services;
        services.AddHostedService<WebhookRecovery>();
        services.AddHangfireServer(s =>
        {
            s.ServerName = $"svi-webhooks-{Environment.MachineName}-{Environment.ProcessId}";
            s.Queues = [WebhookDeliveryJob.Queue];
            s.WorkerCount = Math.Max(1, settings.Concurrency);
            s.SchedulePollingInterval = TimeSpan.FromSeconds(settings.SchedulePollSeconds);
            s.ShutdownTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds + 1);
        });
        return services;
    }
}
