using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ImmutableInfra.UntrustedYaml;

/// <summary>
/// Passes YamlDotNet's parsing events through and refuses, at the offending event's position, the shapes its
/// representation model cannot take from hostile input (each measured with YamlDotNet 18.1.0):
/// <list type="bullet">
/// <item>nesting deeper than a bound: the model builds nodes recursively, and 100,000 '[' overflow the stack, which
/// ends the process;</item>
/// <item>a collection as a mapping key: keys are hashed over their whole content, aliases included, so a key over
/// seven levels of ten aliases each took 0.9 s (nine levels would take minutes), and a key that contains itself
/// overflows the stack;</item>
/// <item>an alias to a collection that is not complete yet (<c>&amp;x [*x]</c>): the model links it into a cycle
/// that anything walking the tree never leaves.</item>
/// </list>
/// Other aliases are fine: the model shares the anchored node instead of copying it, so "billion laughs" documents
/// cost no memory (the callers read a fixed depth and never walk a whole tree).
/// </summary>
internal sealed class BoundedParser(IParser inner, int maxDepth) : IParser
{
    private readonly Stack<Collection> _open = new();
    // Each anchor's latest definition; an alias to one that is still open would make a cycle.
    private readonly Dictionary<AnchorName, Collection?> _anchors = [];

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        LastEnd = inner.Current?.End ?? LastEnd;

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                var start = (NodeEvent)inner.Current;
                if (IsKeyPosition)
                {
                    throw Refused(start, "a collection cannot be a mapping key");
                }

                if (_open.Count == maxDepth)
                {
                    throw Refused(start, $"collections are nested deeper than {maxDepth} levels");
                }

                var collection = new Collection(start is MappingStart);
                _open.Push(collection);
                Define(start.Anchor, collection);
                break;
            case MappingEnd or SequenceEnd:
                _open.Pop().IsOpen = false;
                Completed();
                break;
            case AnchorAlias alias:
                if (IsKeyPosition)
                {
                    throw Refused(alias, "an alias cannot be a mapping key");
                }

                // YamlDotNet reports a missing anchor only after the document, at line 1, column 1.
                if (!_anchors.TryGetValue(alias.Value, out var target))
                {
                    throw Refused(alias, $"no anchor &{alias.Value} precedes the alias");
                }

                if (target is { IsOpen: true })
                {
                    throw Refused(alias, $"the alias *{alias.Value} is inside the node it refers to");
                }

                Completed();
                break;
            case Scalar scalar:
                Define(scalar.Anchor, null);
                Completed();
                break;
            case DocumentStart:
                _anchors.Clear();
                break;
        }

        return true;
    }

    /// <summary>Where the last event read ended: the position to report for a fault that names none.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    private static YamlException Refused(ParsingEvent at, string problem) => new(at.Start, at.End, problem);

    private void Define(AnchorName anchor, Collection? node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor] = node;
        }
    }

    private bool IsKeyPosition => _open.TryPeek(out var parent) && parent.IsMapping && parent.ExpectsKey;

    /// <summary>A node ended: in a mapping, a key is followed by its value and a value by the next key.</summary>
    private void Completed()
    {
        if (_open.TryPeek(out var parent) && parent.IsMapping)
        {
            parent.ExpectsKey = !parent.ExpectsKey;
        }
    }

    private sealed class Collection(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool IsOpen { get; set; } = true;

        public bool ExpectsKey { get; set; } = isMapping;
    }
}
