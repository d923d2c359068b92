namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Splits a watch stream into lines with a bound on the line length; a partial last line is dropped.</summary>
internal sealed class WatchLineReader(Stream stream, int maxLineBytes)
{
    private byte[] _buffer = new byte[Math.Min(64 * 1024, maxLineBytes + 1)];
    private int _start;
    private int _end;

    /// <summary>The next complete line, or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
            {
                var line = new ReadOnlyMemory<byte>(_buffer, _start, newline - _start);
                _start = newline + 1;
                if (line.IsEmpty)
                {
                    scanFrom = _start;
                    continue;
                }

                return line;
            }

            if (_end - _start > maxLineBytes)
            {
                throw new WatchLineTooLongException($"watch line longer than {maxLineBytes} bytes");
            }

            MakeRoom();
            scanFrom = _end;
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                // A stream cut mid-line leaves a fragment: not an event, the caller resumes from the last one.
                return null;
            }

            _end += read;
        }
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }

        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxLineBytes + 2));
        }

        _start = 0;
        _end = pending;
    }
}
