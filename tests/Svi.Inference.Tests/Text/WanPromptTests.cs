using Svi.Inference.Text;
using Svi.Inference.Wan.Umt5;

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

    // ftfy.fix_text's steps other than fix_encoding, written against Python's own html, unicodedata and str.upper (ftfy
    // itself is not in Debian), then Wan's clean='whitespace'. The `regex` module's \s is Unicode White_Space, spelled
    // out because Python's built-in re would also match U+001C…U+001F.
    const string WanCleanScript = """
        import html, re, unicodedata
        from html.entities import html5
        ENTITIES = {}
        for name, ch in html5.items():
            if name.endswith(';'):
                ENTITIES['&' + name] = ch
                upper = '&' + name.upper()
                if name == name.lower() and html.unescape(upper) == upper:
                    ENTITIES[upper] = ch.upper()
        def entity(m):
            t = m.group(0)
            if t in ENTITIES:
                return ENTITIES[t]
            if t.startswith('&#'):
                u = html.unescape(t)
                return t if ';' in u else u
            return t
        def c1(ch):
            try:
                return bytes([ord(ch)]).decode('cp1252')
            except UnicodeDecodeError:
                return ch
        LIGATURES = set('\u0132\u0133\u0149\u01c4\u01c5\u01c6\u01c7\u01c8\u01c9\u01ca\u01cb\u01cc\u01f1\u01f2\u01f3\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06')
        def ligature(ch):
            if ch == '\ufb05':
                return '\u017ft'
            return unicodedata.normalize('NFKC', ch) if ch in LIGATURES else ch
        def width(ch):
            if ch == '\u3000':
                return ' '
            return unicodedata.normalize('NFKC', ch) if '\uff01' <= ch <= '\uffef' else ch
        CONTROLS = set(map(chr, [*range(0, 9), 0xb, *range(0xe, 0x20), 0x7f, *range(0x206a, 0x2070), 0xfeff, *range(0xfff9, 0xfffd)]))
        def fix_line(t, unescape):
            while True:
                before = t
                if unescape:
                    t = re.sub(r'&#?[0-9A-Za-z]{1,24};', entity, t)
                t = ''.join(c1(c) if '\x80' <= c <= '\x9f' else c for c in t)
                t = ''.join(map(ligature, t))
                t = ''.join(map(width, t))
                t = re.sub('[\u02bc\u2018-\u201b]', "'", re.sub('[\u201c-\u201f]', '"', t))
                t = t.replace('\r\n', '\n').replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n').replace('\x85', '\n')
                t = re.sub('\x1b\\[((?:\\d|;)*)([a-zA-Z])', '', t)
                t = ''.join(c for c in t if c not in CONTROLS)
                t = unicodedata.normalize('NFC', t)
                if t == before:
                    return t
        def fix_text(t):
            out, unescape = [], True
            for line in re.findall(r'[^\n]*\n|[^\n]+', t):
                if '<' in line:
                    unescape = False
                out.append(fix_line(line, unescape))
            return ''.join(out)
        ws = '[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+'
        def clean(t):
            t = html.unescape(html.unescape(fix_text(t))).strip()
            return re.sub(ws, ' ', t).strip()

        """;

    static readonly string[] FtfyProbes =
    [
        "P&EACUTE;REZ and BUNDESSTRA&SZLIG;E, &ntilde; &Ntilde; &NTILDE; &nTILDE; &FILIG; &NAPOS; &AMP;",
        "stray C1 \u0092s \u0093q\u0094 \u0080 \u0081 \u0085", "\u001b[36;44mcolored\u001b[0m text \u001b[1m",
        "\u0149 \u01C4 \u01F2 \uFB05 \uFB06 \u0132", "&amp;amp;amp; without markup", "&amp;amp;amp; with <b>markup</b>",
        "line one &amp;amp;\nline <two> &amp;amp;\nline three &amp;amp;", "\uFEFFbom \u206Aarabic\uFFF9annot\uFFFCobj",
        "\uFF35\uFF80\uFF70\uFF9D \uFFA1\uFFE5 \uFF5E", "&#x2018;curly&#8217; &#xZZ; &#65 &#128; &#x92;",
        "\u02BCmodifier \u201Bhigh \u201Fdouble \u201Elow", "carriage\r\nreturn\rmac\u2029para",
    ];

    static IReadOnlyList<string> PromptProbes =>
    [
        .. TokenizerCorpus.Probes, .. HtmlProbes, .. FtfyProbes,
        "  A  woman\u3000walks\u00a0her dog\t\tthrough the\n\npark  ", "\u001c\u001d edge separators \u001e\u001f",
        "\u2003em\u2002spaces\u2009thin\u202fnarrow\u205fmath ", "&amp;nbsp;double&amp;amp;escaped",
        "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的",
    ];

    [Fact]
    public void Cleaning_matches_wans_ftfy_and_whitespace_clean()
    {
        var probes = PromptProbes;
        var expected = reference.Evaluate<string>(probes, WanCleanScript + "results = [clean(t) for t in texts]\n");
        for (int i = 0; i < probes.Count; i++)
        {
            string ours = WanPromptCleaner.Clean(probes[i]);
            Assert.True(expected[i] == ours, $"{Json(probes[i])}: python {Json(expected[i])} ours {Json(ours)}");
        }
    }

    [Fact]
    public void Nfc_from_the_built_in_tables_equals_icus()
    {
        var random = new Random(11);
        // starters that compose, marks of several classes (out of order), Hangul jamo and syllables, exclusions, singletons
        const string pool = "aeiouAEOnNcCsSzZ\u03B1\u03C9\u0391\u0438\u0415\u0300\u0301\u0302\u0303\u0308\u0323\u0327\u031B" +
                            "\u0345\u05B4\u0F71\u0F72\u1100\u1161\u11A8\uAC00\uAC01\u0958\u0915\u093C\u2126\u212B\u0344\u00C5\u1E9B";
        var probes = TokenizerCorpus.Probes.Concat(TokenizerCorpus.RandomProbes(seed: 7, count: 200)).Concat(
            Enumerable.Range(0, 500).Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => pool[random.Next(pool.Length)])])));
        foreach (var text in probes)
            Assert.True(text.Normalize(System.Text.NormalizationForm.FormC) == CanonicalComposition.Normalize(text),
                $"{Json(text)}: ICU {Json(text.Normalize(System.Text.NormalizationForm.FormC))} ours {Json(CanonicalComposition.Normalize(text))}");
    }

    [Theory]
    [InlineData("the girl\u2019s \u201Cred\u201D kite", "the girl's \"red\" kite")]
    [InlineData("P&EACUTE;REZ on the BUNDESSTRA&SZLIG;E", "P\u00C9REZ on the BUNDESSTRASSE")]
    [InlineData("&ntilde; &NTILDE; &nTILDE;", "\u00F1 \u00D1 &nTILDE;")]
    [InlineData("\uFF21\uFF22\u3000\uFF11\uFF12", "AB 12")]
    [InlineData("\uFB01ne \uFB02our \uFB05", "fine flour \u017Ft")]
    [InlineData("\u0149", "'n")]
    [InlineData("\u001b[1;31mred\u001b[0m", "red")]
    [InlineData("\uFEFFa\u0000b\u007Fc", "abc")]
    [InlineData("it\u0092s", "it's")]
    [InlineData("&amp;amp;amp;", "&")]
    [InlineData("&amp;amp;amp; <i>", "&amp;amp;amp; <i>")]
    [InlineData("a\r\nb\u2028c", "a\nb\nc")]
    [InlineData("e\u0301 o\u0323\u0302", "\u00E9 \u1ED9")]
    public void Ftfy_text_fixes_straighten_quotes_decode_entities_and_drop_invisible_characters(string text, string fixedText) =>
        Assert.Equal(fixedText, FtfyTextFixes.FixText(text));

    [Fact]
    public void Ftfy_text_fixes_replace_lone_surrogates()
    {
        // built in code: test data attributes cannot carry a lone surrogate
        string text = "a" + '\uD800' + "b" + "\uD83C\uDFAC";
        Assert.Equal("a\uFFFDb\uD83C\uDFAC", FtfyTextFixes.FixText(text));
    }

    static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

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
