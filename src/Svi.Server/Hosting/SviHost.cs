using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;
using Serilog;
using Svi.Server.Api;
using Svi.Server.Contracts;
using Svi.Server.Images;
using Svi.Server.Jobs;
using Svi.Server.Observability;
using Svi.Server.Playground;
using Svi.Server.Quotas;
using Svi.Server.Storage;
using Svi.Server.Usage;
using Svi.Server.Webhooks;

namespace Svi.Server.Hosting;

/// <summary>
/// Composes the process. <see cref="BuildApi"/> is the HTTP API, with a GPU worker inside unless told otherwise
/// (<c>./svi serve</c>); <see cref="BuildWorker"/> is a worker alone (<c>./svi worker</c>). Both share PostgreSQL,
/// which holds the records and the Hangfire queue. The <c>overrides</c> registrations run first, so they
/// win over the defaults (tests register their renderer there).
/// </summary>
public static class SviHost
{
    /// <summary>
    /// The keyed <see cref="TimeProvider"/> that dates records, idempotency windows and retention (the system clock; tests
    /// register a controllable one in <c>overrides</c>). Keyed, so the framework's own services never pick it up.
    /// </summary>
    public const string ClockKey = "svi-clock";

    public static WebApplication BuildApi(string[] args, bool withWorker, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(builder.Configuration[$"{SviOptions.Section}:Urls"] is { Length: > 0 } urls ? urls : SviOptions.DefaultUrls);
        overrides?.Invoke(builder.Services);
        AddCore(builder.Services, builder.Configuration, withWorker);

        var options = builder.Configuration.GetSection(SviOptions.Section).Get<SviOptions>() ?? new SviOptions();
        // Each endpoint lowers this to its own limit (Contracts/BodyLimits) before it reads; the form reader's own limits
        // are never lower, so an oversized body is always Kestrel's 413, and the form reader's errors are malformed bodies.
        long maxBody = BodyLimits.Largest(options);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        builder.Services.Configure<FormOptions>(f => { f.MultipartBodyLengthLimit = maxBody; f.ValueLengthLimit = (int)Math.Min(maxBody, int.MaxValue); });
        builder.Services.ConfigureHttpJsonOptions(j => j.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOpenApi(o => o.AddRequestBodies().AddDeploymentSizes());
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionSweeper>());

        var app = builder.Build();
        app.UseMiddleware<ApiErrors>();
        app.UseHttpMetrics();
        app.UseWhen(c => c.Request.Path == "/metrics", metrics => metrics.UseMiddleware<GenerationGauges>());
        app.UseMiddleware<ApiKeyAuthentication>();
        app.MapHealth();
        app.MapModels();
        app.MapGenerations();
        app.MapVideos();
        app.MapWebhooks();
        app.MapUsage();
        app.MapMetrics("/metrics");
        app.MapOpenApi();
        app.MapPlayground(app.Configuration);
        // Thrown, not written here, so that ApiErrors answers it like every other error (x-should-retry included).
        app.MapFallback("/v1/{**path}", IResult (HttpContext context) => throw new ApiException(StatusCodes.Status404NotFound,
            $"Unknown endpoint {context.Request.Method} {context.Request.Path}.", null, "unknown_endpoint"));
        return app;
    }

    public static IHost BuildWorker(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        overrides?.Invoke(builder.Services);
        AddCore(builder.Services, builder.Configuration, withWorker: true);
        builder.Services.AddHostedService<WorkerMetricsEndpoint>();
        return builder.Build();
    }

    /// <summary>Checks the configuration, applies migrations, then starts; throws <see cref="OptionsValidationException"/> with every problem.</summary>
    public static async Task StartAsync(IHost host, CancellationToken ct = default)
    {
        var options = host.Services.GetRequiredService<IOptions<SviOptions>>().Value; // validates
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Svi.Server");
        await Migrations.ApplyAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), ct);
        Directory.CreateDirectory(host.Services.GetRequiredService<GenerationFiles>().Root);
        if (options.ApiKeys.Length == 0)
            log.LogWarning("No API keys configured (Svi:ApiKeys): the API is open to anyone who can reach it");
        else
            log.LogInformation("{Count} API key(s) configured; every /v1 call needs 'Authorization: Bearer <key>'", options.ApiKeys.Length);
        var availability = host.Services.GetRequiredService<Svi.Inference.Runtime.IModelInventory>().Check();
        if (availability.IsRandom)
            log.LogWarning("{RandomWeights}. {Hint}", Svi.Inference.Runtime.RandomModelInventory.Warning, availability.Hint);
        log.LogInformation("Data directory {DataDirectory}, models directory {ModelsDirectory}",
            Path.GetFullPath(options.DataDirectory), Path.GetFullPath(options.ModelsDirectory));
        await host.StartAsync(ct);
    }

    private static void AddCore(IServiceCollection services, IConfiguration configuration, bool withWorker)
    {
        var connectionString = configuration.GetConnectionString("Svi");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new OptionsValidationException("ConnectionStrings:Svi", typeof(SviOptions),
                ["ConnectionStrings:Svi is not set. './svi serve' starts a private PostgreSQL and sets it; otherwise set " +
                 "ConnectionStrings__Svi=\"Host=...;Username=...;Password=...;Database=...\"."]);

        // Defaults first, so that a Serilog section in the configuration overrides them.
        services.AddSerilog((sp, lc) => lc
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"));

        services.AddOptions<SviOptions>().Bind(configuration.GetSection(SviOptions.Section))
            .PostConfigure(o => o.RemoveDisabledAliases()).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SviOptions>, SviOptionsValidator>();
        services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddSingleton(sp => DatabasePool.Create(connectionString, sp.GetRequiredService<IOptions<SviOptions>>().Value.Database));
        services.AddSingleton<GenerationStore>();
        services.AddSingleton<GenerationFiles>();
        services.AddSingleton<GenerationQueue>();
        services.AddSingleton<ImageUrlFetcher>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SviOptions>>().Value;
            return new InputImageDecoder(o.MaxImagePixels, o.ImageDecodes);
        });
        services.AddSingleton<DataVolume>();
        services.AddSingleton<StorageAdmission>();
        services.AddSingleton<StorageGuard>();
        services.AddHostedService<StorageMonitor>();
        services.AddSingleton<GenerationService>();
        services.AddSingleton<ExtensionService>();
        services.AddTransient<GenerationJob>();
        services.AddSingleton<FairQueue>();
        services.AddSingleton<GenerationTransitions>();
        // The features read their own sections; the one bound and validated SviOptions is where they come from.
        services.AddSingleton(sp => Options.Create(sp.GetRequiredService<IOptions<SviOptions>>().Value.Quotas));
        services.AddSingleton(sp => Options.Create(sp.GetRequiredService<IOptions<SviOptions>>().Value.Webhooks));
        services.AddSingleton<KeyQuotas>();
        services.AddSingleton<UsageStore>();
        services.AddSingleton<IFinishedGenerationHandler, UsageMeter>();
        services.AddSviInference(configuration);

        var jobs = configuration.GetSection($"{SviOptions.Section}:Jobs").Get<JobOptions>() ?? new JobOptions();
        services.AddHangfire((sp, cfg) => cfg
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseConnectionFactory(new PooledHangfireConnections(sp.GetRequiredService<NpgsqlDataSource>())),
                new PostgreSqlStorageOptions
                {
                    PrepareSchemaIfNecessary = true,
                    // A live worker keeps extending its job's invisibility; only a dead one lets the job reappear.
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromSeconds(jobs.InvisibilityTimeoutSeconds),
                    // LISTEN/NOTIFY: a job enqueued by the API process reaches an idle worker at once, not after a poll.
                    EnableLongPolling = true,
                    QueuePollInterval = TimeSpan.FromSeconds(5),
                }));
        // Before the Hangfire server, so a restarted worker clears dead processes' locks before it fetches a job.
        services.AddSingleton<HangfireLocks>();
        services.AddSingleton<DeadWorkerJobs>();
        services.AddSingleton<QueueRecovery>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueRecovery>());
        services.AddWebhooks(configuration.GetSection($"{SviOptions.Section}:Webhooks").Get<WebhookOptions>() ?? new WebhookOptions());
        if (withWorker)
            services.AddHostedService<WorkerRuntimeStartup>();
        if (withWorker)
            services.AddHostedService<GpuMemorySampler>();
        if (withWorker)
            services.AddHangfireServer(s =>
            {
                s.ServerName = $"svi-{Environment.MachineName}-{Environment.ProcessId}";
                s.Queues = [GenerationJob.Queue];
                s.WorkerCount = 1; // one GPU, one generation at a time
                s.ShutdownTimeout = TimeSpan.FromSeconds(jobs.ShutdownTimeoutSeconds);
                s.CancellationCheckInterval = TimeSpan.FromSeconds(1);
            });
    }
}
