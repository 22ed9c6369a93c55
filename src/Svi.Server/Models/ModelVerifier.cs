using System.Security.Cryptography;
using Svi.Inference.Text;

namespace Svi.Server.Models;

/// <summary>
/// Checks installed files without a GPU: presence and size, the safetensors header against the architecture (keys,
/// shapes, dtypes; shards of one expert together), other formats by signature, and sha256 on request.
/// </summary>
public sealed class ModelVerifier(ModelInventory inventory)
{
    public IReadOnlyList<VerifyResult> Verify(string variant, bool checkSha256, bool includeOptional = false)
    {
        var manifest = inventory.Manifest;
        string dtype = manifest.Variants[variant].WeightDType;
        var files = manifest.FilesOf(variant).Where(f => includeOptional || !f.Optional || inventory.IsPresent(f)).ToList();
        // Check the copy that is installed: the listed file or one of its alternatives.
        files = [.. files.Select(f => inventory.Installed(f) ?? f)];
        var results = new Dictionary<ManifestFile, VerifyResult>();
        foreach (var f in files)
        {
            if (f.Tensor is not null)
            {
                if (CheckEmbedded(f) is { } embedded) results[f] = embedded;
                continue;
            }
            var info = new FileInfo(inventory.FullPath(f));
            if (!info.Exists) results[f] = new(f, VerifyStatus.Missing, ["not installed"]);
            else if (f.Size is { } size && info.Length != size)
                results[f] = new(f, VerifyStatus.WrongSize, [$"{info.Length} bytes, manifest says {size}"]);
        }

        // Shards of one role and architecture are one checkpoint: check the union of their headers once.
        foreach (var group in files.Where(f => !results.ContainsKey(f) && Architectures.IsSafetensors(f.Architecture))
                     .GroupBy(f => (f.Role, f.Architecture)))
        {
            var problems = Architectures.CheckSafetensors(group.Key.Architecture, group.Select(inventory.FullPath).ToList(), dtype);
            if (problems.Count == 0) continue;
            var shardNote = group.Count() > 1 ? [$"checked together with {string.Join(", ", group.Select(f => Path.GetFileName(f.Path)))}"] : Array.Empty<string>();
            foreach (var f in group) results[f] = new(f, VerifyStatus.WrongLayout, [.. problems, .. shardNote]);
        }
        foreach (var f in files.Where(f => !results.ContainsKey(f) && f.Tensor is null && !Architectures.IsSafetensors(f.Architecture)))
        {
            var siblings = files.Where(s => s.Role == f.Role && Architectures.IsSafetensors(s.Architecture)).Select(s => s.Path).ToList();
            var problems = Architectures.CheckOther(f.Architecture, inventory.FullPath(f), siblings);
            if (problems.Count > 0) results[f] = new(f, VerifyStatus.WrongLayout, problems);
        }
        if (checkSha256)
        {
            foreach (var f in files.Where(f => !results.ContainsKey(f) && f.Sha256 is not null))
            {
                string sha = Convert.ToHexStringLower(f.Tensor is { } tensor
                    ? SHA256.HashData(EmbeddedSentencePiece.Bytes(inventory.FullPath(f), tensor))
                    : HashFile(inventory.FullPath(f)));
                if (sha != f.Sha256) results[f] = new(f, VerifyStatus.WrongChecksum, [$"sha256 {sha}, manifest says {f.Sha256}"]);
            }
        }
        return files.Select(f => results.TryGetValue(f, out var r) ? r : new VerifyResult(f, VerifyStatus.Ok, [])).ToList();
    }

    static byte[] HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }

    /// <summary>A tokenizer embedded in another file (<see cref="ManifestFile.Tensor"/>): the tensor, its size, and that its bytes parse as a SentencePiece model.</summary>
    VerifyResult? CheckEmbedded(ManifestFile f)
    {
        string path = inventory.FullPath(f);
        if (EmbeddedSentencePiece.Find(path, f.Tensor!) is not { } entry)
            return new(f, VerifyStatus.Missing, [$"{f.Path} holds no U8 tensor '{f.Tensor}'"]);
        if (f.Size is { } size && entry.ByteLength != size)
            return new(f, VerifyStatus.WrongSize, [$"{entry.ByteLength} bytes, manifest says {size}"]);
        try { SentencePieceModel.Parse(EmbeddedSentencePiece.Bytes(path, f.Tensor!), f.Location); }
        catch (SentencePieceModelException e) { return new(f, VerifyStatus.WrongLayout, [e.Message]); }
        return null;
    }
}
