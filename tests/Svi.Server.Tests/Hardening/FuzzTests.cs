namespace Svi.Server.Tests.Hardening;

/// <summary>
/// Thousands of seeded mutations of valid requests to every POST endpoint (bytes flipped, cut, inserted; strings
/// swapped for invalid escapes, NULs and extremes; multipart framing broken; images and videos corrupted): none may
/// get a 5xx or break the connection, and no refused request may leave a file behind.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FuzzTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private const int Seed = 1616, Requests = 2000;

    private static readonly string[] NastyJsonValues =
    [
        "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\"", "\"\\u0000\"", "1e400", "-1", "0", "\"\"", "null", "[]", "{}", "true",
        "\"" + new string('x', 30_000) + "\"", "[\"\\ud800\"]", "{\"image_url\": \"\\u0000\"}", "{\"id\": \"../../etc\"}",
        "\"data:image/png;base64,AAAA\"", "\"http://[::ffff:127.0.0.1]/\"", "\"http://[64:ff9b::a9fe:a9fe]/\"", "9223372036854775808",
        "\"NaN\"", "\"-Infinity\"", "\"1280x720\\u0000\"",
    ];

    private sealed record Seedling(string Path, string ContentType, byte[] Body, Func<Random, byte[]>? Rebuild = null);

    [Fact]
    public async Task Mutated_requests_never_get_a_5xx_and_leave_no_files()
    {
        var source = await fixture.CompletedAsync();
        var seeds = await SeedsAsync(source);
        // The source is a real finished video, so its unmutated extensions and remixes are accepted: the fuzzed ones get
        // past the source checks into the code that copies its clip state.
        using (var plain = new HttpClient { BaseAddress = fixture.Server.BaseAddress })
            foreach (var seed in seeds.Where(s => s.Path.Contains(source) || Encoding.UTF8.GetString(s.Body).Contains(source)))
            {
                var content = new ByteArrayContent(seed.Body);
                content.Headers.TryAddWithoutValidation("Content-Type", seed.ContentType);
                using var response = await plain.PostAsync(seed.Path, content);
                Assert.True(response.IsSuccessStatusCode, $"{seed.Path} {seed.ContentType}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        var random = new Random(Seed);
        // Every mutation is drawn up front from the one seeded generator, so a failure names a reproducible request.
        var cases = Enumerable.Range(0, Requests).Select(i => (Index: i, Request: Mutate(random, seeds[random.Next(seeds.Count)]))).ToList();

        var failures = new List<string>();
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            var (path, contentType, body) = c.Request;
            var content = new ByteArrayContent(body);
            if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            try
            {
                using var response = await client.PostAsync(path, content, ct);
                if ((int)response.StatusCode >= 500)
                {
                    var text = await response.Content.ReadAsStringAsync(ct);
                    lock (failures) failures.Add($"#{c.Index} {path} {contentType}: {(int)response.StatusCode} {text}");
                }
            }
            catch (HttpRequestException e)
            {
                lock (failures) failures.Add($"#{c.Index} {path} {contentType}: connection failed: {e.Message}");
            }
        });
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} requests failed, e.g.:\n{string.Join("\n", failures.Take(10))}");

        var records = new HashSet<string>();
        await using (var conn = new Npgsql.NpgsqlConnection(fixture.Database.AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var reader = await new Npgsql.NpgsqlCommand("SELECT id FROM generations", conn).ExecuteReaderAsync();
            while (await reader.ReadAsync()) records.Add(reader.GetString(0));
        }
        Assert.All(fixture.Folders(), folder => Assert.Contains(folder, records));
    }

    private async Task<List<Seedling>> SeedsAsync(string source)
    {
        var images = new[] { "png", "jpg", "webp", "bmp", "tiff" }.Select(e => (Ext: e, Data: ImageFixtures.Encode(e))).ToArray();
        var tiffPages = TiffFixture.Build(new(32, 24, R: 200), new(16, 16, G: 200));
        var video = Path.Combine(fixture.DataDirectory, "fuzz-seed.mp4");
        await FfmpegTestRenderer.RunFfmpegAsync(
            $"-y -v error -f lavfi -i testsrc=size=32x24:rate=16 -t 1 -pix_fmt yuv420p -c:v libx264 -preset ultrafast \"{video}\"", CancellationToken.None);
        var mp4 = await File.ReadAllBytesAsync(video);
        File.Delete(video);
        string dataUri = "data:image/png;base64," + Convert.ToBase64String(images[0].Data);

        var seeds = new List<Seedling>
        {
            JsonSeed("/v1/videos/generations", $$"""{"prompt": "a fox runs", "duration": 6, "resolution": "832x480", "cfg": 1.2, "seed": 7, "image": "{{dataUri}}"}"""),
            JsonSeed("/v1/videos/generations", """{"prompts": ["a fox", "the fox stops"], "negative_prompt": "blur", "t2v_quality": "fast", "duration": 12}"""),
            JsonSeed("/v1/videos", $$"""{"model": "sora-2", "prompt": "a flag", "seconds": "4", "size": "1280x720", "input_reference": {"image_url": "{{dataUri}}" } }"""),
            JsonSeed($"/v1/videos/{source}/remix", """{"prompt": "now at night"}"""),
            JsonSeed($"/v1/videos/generations/{source}/extend", """{"prompts": ["it goes on"], "duration": 4.75, "cfg": 1.1}"""),
            JsonSeed("/v1/videos/extensions", $$"""{"prompt": "the kite dives", "seconds": "4", "video": {"id": "{{source}}" } }"""),
            FormSeed($"/v1/videos/{source}/remix", [("prompt", "a remix", null)]),
            FormSeed($"/v1/videos/generations/{source}/extend", [("prompt", "more", null), ("duration", "4.75", null)]),
            FormSeed("/v1/videos/extensions", [("prompt", "on", null), ("seconds", "4", null), ("video[id]", source, null)]),
        };
        foreach (var (ext, data) in images.Append(("tiff", tiffPages)))
        {
            seeds.Add(FormSeed("/v1/videos/generations", [("prompt", "a scene", null), ("duration", "5", null), ("image", "", data)], ext));
            seeds.Add(FormSeed("/v1/videos", [("prompt", "a scene", null), ("seconds", "4", null), ("input_reference", "", data)], ext));
        }
        seeds.Add(FormSeed("/v1/videos/extensions", [("prompt", "continue", null), ("seconds", "4", null), ("video", "", mp4)], "mp4"));
        return seeds;
    }

    private static Seedling JsonSeed(string path, string json) => new(path, "application/json", Encoding.UTF8.GetBytes(json));

    // A multipart body whose file part (if any) is rebuilt with mutated bytes half the time, so decoders see
    // corrupt files inside well-formed framing.
    private static Seedling FormSeed(string path, (string Name, string Value, byte[]? File)[] parts, string ext = "bin")
    {
        byte[] Build(Func<byte[], byte[]> file)
        {
            var ms = new MemoryStream();
            void Write(string s) => ms.Write(Encoding.UTF8.GetBytes(s));
            foreach (var (name, value, data) in parts)
            {
                Write("--fuzzb\r\n");
                if (data is null)
                {
                    Write($"Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
                    continue;
                }
                Write($"Content-Disposition: form-data; name=\"{name}\"; filename=\"f.{ext}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
                ms.Write(file(data));
                Write("\r\n");
            }
            Write("--fuzzb--\r\n");
            return ms.ToArray();
        }
        return new(path, "multipart/form-data; boundary=fuzzb", Build(d => d),
            parts.Any(p => p.File is not null) ? r => Build(d => MutateBytes(r, d, 1 + r.Next(4))) : null);
    }

    private static (string Path, string ContentType, byte[] Body) Mutate(Random r, Seedling seed)
    {
        string type = seed.ContentType;
        byte[] body = seed.Rebuild is not null && r.Next(2) == 0 ? seed.Rebuild(r) : seed.Body;
        switch (r.Next(6))
        {
            case 0: body = MutateBytes(r, body, 1 + r.Next(8)); break;
            case 1: body = body[..r.Next(body.Length)]; break;
            case 2 when type == "application/json": body = SwapJsonValue(r, body); break;
            case 3:
                type = r.Next(5) switch
                {
                    0 => "multipart/form-data",
                    1 => "multipart/form-data; boundary=other",
                    2 => type == "application/json" ? "multipart/form-data; boundary=fuzzb" : "application/json",
                    3 => "application/x-www-form-urlencoded",
                    _ => "",
                };
                break;
            case 4: body = [.. body, .. Enumerable.Range(0, r.Next(1, 64)).Select(_ => (byte)r.Next(256))]; break;
            default: body = r.Next(2) == 0 ? MutateBytes(r, body, 1) : body; break;
        }
        return (seed.Path, type, body);
    }

    private static byte[] MutateBytes(Random r, byte[] data, int edits)
    {
        byte[] interesting = [0x00, 0xFF, 0x80, 0xC0, 0xED, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'-', (byte)'\r', (byte)'\n', 0x7F];
        var list = new List<byte>(data);
        for (int i = 0; i < edits && list.Count > 0; i++)
        {
            int at = r.Next(list.Count);
            switch (r.Next(4))
            {
                case 0: list[at] = (byte)r.Next(256); break;
                case 1: list[at] = interesting[r.Next(interesting.Length)]; break;
                case 2: list.InsertRange(at, Enumerable.Range(0, r.Next(1, 16)).Select(_ => (byte)r.Next(256))); break;
                default: list.RemoveRange(at, Math.Min(list.Count - at, r.Next(1, 32))); break;
            }
        }
        return [.. list];
    }

    // Replaces one value of the JSON object (or one field of a nested object) with a nasty one.
    private static byte[] SwapJsonValue(Random r, byte[] body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        var names = root.EnumerateObject().Select(p => p.Name).ToList();
        var sb = new StringBuilder("{");
        string target = names[r.Next(names.Count)];
        foreach (var p in root.EnumerateObject())
        {
            if (sb.Length > 1) sb.Append(", ");
            string value = p.Name == target ? NastyJsonValues[r.Next(NastyJsonValues.Length)] : p.Value.GetRawText();
            sb.Append(JsonSerializer.Serialize(p.Name)).Append(": ").Append(value);
        }
        if (r.Next(4) == 0) sb.Append(", \"").Append(target).Append("\": ").Append(NastyJsonValues[r.Next(NastyJsonValues.Length)]);
        return Encoding.UTF8.GetBytes(sb.Append('}').ToString());
    }
}
