using System.Security.Cryptography;
using System.Text;

namespace Svi.Server.Storage;

/// <summary>
/// The owner stored with everything an API key creates: a digest of the key, never the key. Authentication, webhooks
/// (whose endpoints name a key) and usage reports (whose labels name a key) all turn a key into its owner here.
/// </summary>
public static class KeyOwner
{
    public static string Of(byte[] key) => "key:" + Convert.ToHexString(SHA256.HashData(key))[..32].ToLowerInvariant();

    public static string Of(string key) => Of(Encoding.UTF8.GetBytes(key));
}
