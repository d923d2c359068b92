namespace ImmutableInfra.Agent.Platform;

/// <summary>The captured head and tail of a stream plus how many bytes in between were dropped.</summary>
internal sealed record BoundedOutput(byte[] Head, byte[] Tail, long DroppedBytes)
{
    public static BoundedOutput Empty { get; } = new([], [], 0);

    public long TotalBytes => Head.Length + Tail.Length + DroppedBytes;

    public int CapturedBytes => Head.Length + Tail.Length;

    public override string ToString()
    {
        var head = global::System.Text.Encoding.UTF8.GetString(Head);
        var tail = global::System.Text.Encoding.UTF8.GetString(Tail);
        return DroppedBytes == 0 ? head + tail : $"{head}\n[... {DroppedBytes} bytes dropped ...]\n{tail}";
    }
}
