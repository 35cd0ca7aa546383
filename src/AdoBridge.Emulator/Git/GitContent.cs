using System.Text;

namespace AdoBridge.Emulator;

/// <summary>File contents as the Git store keeps them: text as it is, binary (anything with a NUL byte or not valid
/// UTF-8, Git's own test) as a NUL mark followed by base64, so a text file can never be mistaken for a binary one.</summary>
internal static class GitContent
{
    private const char BinaryMark = '\0';
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static string FromBytes(byte[] bytes)
    {
        if (Array.IndexOf(bytes, (byte)0) < 0)
        {
            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8 text: stored as binary below.
            }
        }

        return BinaryMark + Convert.ToBase64String(bytes);
    }

    public static bool IsBinary(string stored) => stored.Length > 0 && stored[0] == BinaryMark;

    public static byte[] Bytes(string stored) => IsBinary(stored) ? Convert.FromBase64String(stored[1..]) : Encoding.UTF8.GetBytes(stored);

    public static long Size(string stored) => IsBinary(stored) ? Bytes(stored).LongLength : Encoding.UTF8.GetByteCount(stored);

    /// <summary>Git's blob id for the content (a stable 40-hex digest; the same content has the same id in every commit).</summary>
    public static string BlobId(string stored) => GitStore.ObjectId("blob:" + stored);
}
