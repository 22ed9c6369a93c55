using System.Text;

namespace Svi.Inference.Tests.Text;

/// <summary>
/// Deterministic training text and probe strings for the tokenizer parity tests: English, accented Latin, Cyrillic,
/// Greek, CJK, Hangul, Arabic, Devanagari, emoji, digits, punctuation, repeated spaces, tabs and newlines, and
/// characters NFKC rewrites (ligatures, full width, circled digits, compatibility ideographs).
/// </summary>
public static class TokenizerCorpus
{
    static readonly string[] Words =
    [
        "the", "a", "camera", "slowly", "pans", "across", "city", "at", "night", "neon", "lights", "reflect", "on", "wet",
        "streets", "woman", "walks", "her", "dog", "through", "park", "autumn", "leaves", "fall", "cinematic", "lighting",
        "close-up", "shot", "of", "cat", "sleeping", "sunny", "windowsill", "mountains", "snow", "river", "flowing", "forest",
        "drone", "view", "ocean", "waves", "crashing", "rocks", "sunset", "golden", "hour", "portrait", "smiling", "child",
        "café", "naïve", "résumé", "façade", "jalapeño", "über", "straße", "Ærøskøbing", "crème", "brûlée", "São", "Paulo",
        "Москва", "улица", "ночью", "Ελλάδα", "θάλασσα", "東京", "夜景", "猫", "が", "寝て", "いる", "一个", "女人", "在",
        "公园", "里", "散步", "镜头", "缓慢", "移动", "서울", "의", "거리", "고양이", "القاهرة", "ليلا", "मुंबई", "बारिश",
        "🎬", "🌆", "🐱", "🌊", "✨", "😀", "👍🏽", "2024", "4K", "60fps", "3.14", "1,000", "100%", "$5", "#1", "A-14B",
        "“quoted”", "(parens)", "[brackets]", "{braces}", "end.", "wait...", "really?", "yes!", "semi;colon", "a/b", "x_y",
        "ﬁne", "ﬂow", "ＦＵＬＬ", "ｗｉｄｔｈ", "①", "②", "㍿", "™", "½", "ｶﾀｶﾅ", "Ⅻ",
    ];

    static readonly string[] Separators = [" ", " ", " ", " ", "  ", "\t", " \t ", "   ", ", ", ". ", " - ", "\u3000", "，", "。"];

    public static string Generate(int seed, int lines)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            int count = random.Next(3, 18);
            for (int w = 0; w < count; w++)
            {
                if (w > 0) text.Append(Separators[random.Next(Separators.Length)]);
                text.Append(Words[random.Next(Words.Length)]);
                if (random.Next(12) == 0) text.Append(random.Next(0, 100000));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Hand-picked edge cases that exercise every branch of normalisation and encoding.</summary>
    public static IReadOnlyList<string> Probes { get; } =
    [
        "", " ", "   ", "\t\n", "a", "A camera slowly pans across the city at night.",
        "  leading and trailing spaces  ", "many     inner      spaces", "tabs\tand\nnewlines\r\nmixed \t \n here",
        "café naïve résumé façade jalapeño über straße", "e\u0301 combining acute, A\u030A ring, ñ vs n\u0303",
        "ﬁne ﬂow ﬀ ﬃ ＦＵＬＬ ｗｉｄｔｈ １２３ ① ② ⑩ ㍿ ™ ½ ｶﾀｶﾅ ｶﾞ Ⅻ ² ㎏",
        "東京の夜景、猫が寝ている。一个女人在公园里散步，镜头缓慢移动。",
        "서울의 거리 고양이 한국어 문장", "\u1100\u1161\u11A8 conjoining jamo",
        "القاهرة ليلا مع أضواء", "मुंबई में बारिश", "Москва улица ночью", "Ελλάδα θάλασσα",
        "🎬🌆🐱🌊✨😀 emoji run 👍🏽 👨‍👩‍👧 ❤️ 🏳️‍🌈", "digits 0123456789 3.14159 1,000,000 -42 +7 1e-4 60fps 4K",
        "punctuation !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ “quoted” ‘single’ — – … ·",
        "zero\u200Bwidth soft\u00ADhyphen bell\u0007 nul-ish \u0001\u001F del\u007F",
        "nbsp\u00A0here ideographic\u3000space en\u2002space line\u2028sep",
        "ǅ Ǆ ǆ ẞ İ ı ﬅ Ϊ ΐ", "𝐁𝐨𝐥𝐝 𝕯𝖔𝖚𝖇𝖑𝖊 𝟘𝟙𝟚", "Ꭿ unknown ꙮ ꧁꧂ 𓀀𓀁 runs of 𝄞𝄢 unknown",
        "<cam> pan [SEP] user symbols <cam><cam>panpan", "▁ already escaped ▁▁ metasymbol",
        "x", "xx", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        string.Concat(Enumerable.Repeat("a long prompt with words and 漢字 and émojis 🎬 ", 20)),
    ];

    /// <summary>Random strings drawn from a pool mixing all of the above, with odd whitespace.</summary>
    public static IReadOnlyList<string> RandomProbes(int seed, int count)
    {
        const string pool = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,;:!?'\"-()[]{}…—“”éèêëàâäôöûüçñßøåæœ東京夜景猫一个女人公园散步镜头서울거리고양이القاهرةमुंबईМоскваΕλλάδαﬁﬂＡＢ１２①㍿ｶﾀ½™²\u0301\u0303\u200B\u00AD\u00A0\u3000\t\n\r";
        string[] extras = ["🎬", "😀", "👍🏽", "👨‍👩‍👧", "𝄞", "𓀀", "ꙮ", "❤️"];
        var random = new Random(seed);
        var strings = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var s = new StringBuilder();
            int length = random.Next(0, 40);
            for (int c = 0; c < length; c++)
                s.Append(random.Next(10) == 0 ? extras[random.Next(extras.Length)] : pool[random.Next(pool.Length)].ToString());
            strings.Add(s.ToString());
        }
        return strings;
    }
}
