using Svi.Inference.Text;

namespace Svi.Inference.Tests.Text;

/// <summary>Wan's prompt cleaning and the full 512-id tokenization, against Python's html/sentencepiece.</summary>
[Collection(ReferenceSentencePieceCollection.Name)]
public class WanPromptTests(ReferenceSentencePiece reference)
{
    static readonly string[] HtmlProbes =
    [
        "plain", "&amp;", "&amp", "&amp;amp;", "&lt;b&gt;bold&lt;/b&gt;", "&copy2024 &copy; &COPY", "&notit; &notin; &not",
        "&#65;&#x42;&#X43;&#0068", "&#0; &#13; &#128; &#150; &#159; &#x80;", "&#xD800; &#1114112; &#99999999999999999999;",
        "&#1; &#11; &#127; &#xFDD0; &#xFFFE; &#x1FFFF;", "&#128512; &#x1F3AC;", "&nosuchentity; & alone &; &#; &#x;",
        "&quot;quoted&quot; &apos;s &nbsp;space &ensp;&emsp;", "&CounterClockwiseContourIntegral; &DoubleLongLeftRightArrow;",
        "&amp;lt;double&amp;gt;", "&AMP;&Amp;&ampx", "a&b&c;d", "&\tamp; &\namp;", "&lt\u00e9",
        "&acE; &bne; &fjlig; &NotEqualTilde;",
    ];

    [Fact]
    public void Html_references_decode_like_python_html_unescape()
    {
        var expected = reference.Evaluate<string>(HtmlProbes, "import html\nresults = [html.unescape(t) for t in texts]\n");
        for (int i = 0; i < HtmlProbes.Length; i++)
            Assert.True(expected[i] == HtmlCharacterReferences.Unescape(HtmlProbes[i]),
                $"{HtmlProbes[i]}: python '{expected[i]}' ours '{HtmlCharacterReferences.Unescape(HtmlProbes[i])}'");
    }

    // Wan's clean='whitespace' without ftfy; the `regex` module's \s is Unicode White_Space, spelled out here because
    // Python's built-in re would also match U+001C…U+001F.
    const string WanCleanScript =
        "import html, re\n" +
        "ws = '[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+'\n" +
        "def clean(t):\n" +
        "    t = html.unescape(html.unescape(t)).strip()\n" +
        "    return re.sub(ws, ' ', t).strip()\n";

    static IReadOnlyList<string> PromptProbes =>
    [
        .. TokenizerCorpus.Probes, .. HtmlProbes,
        "  A  woman\u3000walks\u00a0her dog\t\tthrough the\n\npark  ", "\u001c\u001d edge separators \u001e\u001f",
        "\u2003em\u2002spaces\u2009thin\u202fnarrow\u205fmath ", "&amp;nbsp;double&amp;amp;escaped",
        "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的",
    ];

    [Fact]
    public void Cleaning_matches_wans_whitespace_clean()
    {
        var probes = PromptProbes;
        var expected = reference.Evaluate<string>(probes, WanCleanScript + "results = [clean(t) for t in texts]\n");
        for (int i = 0; i < probes.Count; i++)
            Assert.True(expected[i] == WanPromptCleaner.Clean(probes[i]),
                $"{System.Text.Json.JsonSerializer.Serialize(probes[i])}: python {System.Text.Json.JsonSerializer.Serialize(expected[i])} ours {System.Text.Json.JsonSerializer.Serialize(WanPromptCleaner.Clean(probes[i]))}");
    }

    [Theory]
    [InlineData(ReferenceSentencePiece.T5Like)]
    [InlineData(ReferenceSentencePiece.T5ByteFallback)]
    public void Tokenized_prompts_equal_python_clean_then_sentencepiece_with_eos_and_padding(string model)
    {
        const int textLength = 64;
        var tokenizer = Umt5Tokenizer.Load(reference.ModelPath(model), textLength);
        var probes = PromptProbes.Concat(TokenizerCorpus.RandomProbes(seed: 5, count: 300)).ToList();
        var expected = reference.Evaluate<long[]>(probes, WanCleanScript +
            "import sentencepiece as spm\n" +
            $"sp = spm.SentencePieceProcessor(model_file={ReferenceSentencePiece.Quote(reference.ModelPath(model))})\n" +
            $"n = {textLength}\n" +
            "results = []\n" +
            "for t in texts:\n" +
            "    ids = sp.encode(clean(t))[:n - 1] + [sp.eos_id()]\n" +
            "    results.append(ids + [sp.pad_id()] * (n - len(ids)))\n");
        var mismatches = probes.Select((p, i) => (p, i)).Where(x => !tokenizer.Tokenize(x.p).Ids.SequenceEqual(expected[x.i]))
            .Select(x => System.Text.Json.JsonSerializer.Serialize(x.p)).ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} prompts differ: {string.Join("\n", mismatches.Take(10))}");
    }

    [Fact]
    public void Prompt_is_padded_to_text_length_with_eos_and_mask()
    {
        var tokenizer = Umt5Tokenizer.Load(reference.ModelPath(ReferenceSentencePiece.T5Like));
        var prompt = tokenizer.Tokenize("a cat sleeping on a sunny windowsill");
        Assert.Equal(Umt5Tokenizer.WanTextLength, prompt.Ids.Length);
        Assert.Equal(1, prompt.Ids[prompt.Length - 1]);
        Assert.All(prompt.Ids[prompt.Length..], id => Assert.Equal(0, id));
        Assert.Equal(prompt.Length, prompt.Mask.Sum());
        Assert.All(prompt.Mask[..prompt.Length], m => Assert.Equal(1, m));
    }

    [Fact]
    public void Overlong_prompt_keeps_511_tokens_and_ends_with_eos()
    {
        var tokenizer = Umt5Tokenizer.Load(reference.ModelPath(ReferenceSentencePiece.T5Like));
        string prompt = string.Concat(Enumerable.Repeat("camera pans across the city at night 2024 ", 200));
        var full = tokenizer.Unigram.Encode(WanPromptCleaner.Clean(prompt));
        var tokenized = tokenizer.Tokenize(prompt);
        Assert.True(full.Count > 600);
        Assert.Equal(512, tokenized.Length);
        Assert.Equal(full.Take(511).Select(i => (long)i), tokenized.Ids[..511]);
        Assert.Equal(1, tokenized.Ids[511]);
        Assert.All(tokenized.Mask, m => Assert.Equal(1, m));
    }

    [Fact]
    public void Empty_prompt_is_just_eos()
    {
        var tokenizer = Umt5Tokenizer.Load(reference.ModelPath(ReferenceSentencePiece.T5Like));
        var prompt = tokenizer.Tokenize(" \t&nbsp; ");
        Assert.Equal(1, prompt.Length);
        Assert.Equal(1, prompt.Ids[0]);
    }
}
