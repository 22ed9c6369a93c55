using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Svi.Inference.Tests.Text;

/// <summary>
/// The real SentencePiece (Debian's python3-sentencepiece through /usr/bin/python3): trains small unigram models on a
/// generated multilingual corpus once per test run, and encodes strings with them for exact comparison.
/// Fails loudly, never skips, when the library is missing: <c>./svi test</c> installs it.
/// </summary>
public sealed class ReferenceSentencePiece : IDisposable
{
    public const string Python = "/usr/bin/python3";

    /// <summary>T5/UMT5's trainer settings (pad 0, eos 1, unk 2, no bos, nmt_nfkc).</summary>
    public const string T5Like = "t5";
    /// <summary>The same with byte fallback, as mT5-family vocabularies use.</summary>
    public const string T5ByteFallback = "t5_bytes";
    /// <summary>Byte fallback, no dummy prefix, whitespace kept, user-defined symbols: the other normaliser branches.</summary>
    public const string Unusual = "unusual";

    static readonly Dictionary<string, string> TrainerOptions = new()
    {
        [T5Like] = "pad_id=0, eos_id=1, unk_id=2, bos_id=-1, normalization_rule_name='nmt_nfkc'",
        [T5ByteFallback] = "pad_id=0, eos_id=1, unk_id=2, bos_id=-1, normalization_rule_name='nmt_nfkc', byte_fallback=True",
        [Unusual] = "pad_id=0, eos_id=1, unk_id=2, bos_id=-1, normalization_rule_name='nmt_nfkc', byte_fallback=True, "
                    + "add_dummy_prefix=False, remove_extra_whitespaces=False, user_defined_symbols=['<cam>', 'pan', '[SEP]']",
    };

    public ReferenceSentencePiece()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"svi-spm-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        string corpus = System.IO.Path.Combine(Directory, "corpus.txt");
        File.WriteAllText(corpus, TokenizerCorpus.Generate(seed: 1234, lines: 6000), new UTF8Encoding(false));

        var script = new StringBuilder("import sentencepiece as spm\n");
        foreach (var (name, options) in TrainerOptions)
            script.AppendLine($"spm.SentencePieceTrainer.train(input={Quote(corpus)}, model_prefix={Quote(ModelPath(name)[..^6])}, "
                              + $"model_type='unigram', vocab_size=3000, hard_vocab_limit=False, num_threads=2, "
                              + $"minloglevel=2, {options})");
        RunPython(script.ToString(), "");
    }

    public string Directory { get; }

    public string ModelPath(string name) => System.IO.Path.Combine(Directory, name + ".model");

    /// <summary>What <c>SentencePieceProcessor.encode(text)</c> returns for each string.</summary>
    public List<int[]> Encode(string modelName, IReadOnlyList<string> texts)
        => Evaluate<int[]>(texts, "import sentencepiece as spm\n"
                                  + $"sp = spm.SentencePieceProcessor(model_file={Quote(ModelPath(modelName))})\n"
                                  + "results = [sp.encode(t) for t in texts]\n");

    /// <summary>
    /// Runs <paramref name="script"/> with <c>texts</c> bound to the strings; it must set <c>results</c> (one JSON value
    /// per string).
    /// </summary>
    public List<T> Evaluate<T>(IReadOnlyList<string> texts, string script)
    {
        string input = System.IO.Path.Combine(Directory, $"input-{Guid.NewGuid():N}.json");
        File.WriteAllText(input, JsonSerializer.Serialize(texts), new UTF8Encoding(false));
        string program = "import json, sys\n"
                         + $"texts = json.load(open({Quote(input)}, encoding='utf-8'))\n"
                         + script
                         + "json.dump(results, sys.stdout)\n";
        return JsonSerializer.Deserialize<List<T>>(RunPython(program, ""))!;
    }

    public static string Quote(string s) => JsonSerializer.Serialize(s);

    static string RunPython(string script, string stdin)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing; the tokenizer parity tests need python3-sentencepiece (./svi test installs it)");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string error = stderr.Result;
            if (error.Contains("No module named 'sentencepiece'"))
                throw new InvalidOperationException(
                    $"{Python} has no sentencepiece module: install Debian's python3-sentencepiece (./svi test does) — the tokenizer parity tests cannot run without it");
            throw new InvalidOperationException($"reference SentencePiece failed (exit {process.ExitCode}): {error}");
        }
        return stdout;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
