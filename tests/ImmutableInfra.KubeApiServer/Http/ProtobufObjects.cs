using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>
/// Request bodies in Kubernetes' protobuf encoding (the <c>k8s\0</c> envelope around a runtime.Unknown). kubectl 1.32
/// sends built-in kinds this way whatever discovery says (<c>kubectl create namespace|secret|configmap|serviceaccount</c>,
/// seen with -v=8), and a real server accepts it, so the kinds those commands create are decoded here (field numbers
/// from k8s.io/api's generated.proto); other kinds answer 415 naming what is accepted.
/// </summary>
internal static class ProtobufObjects
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body, ResourceType? type)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiError.BadRequest("provided protobuf object does not start with the k8s\\x00 prefix");
        }

        string? apiVersion = null;
        string? kind = null;
        ByteString raw = ByteString.Empty;
        try
        {
            foreach (var (field, value) in Fields(ByteString.CopyFrom(body, Magic.Length, body.Length - Magic.Length)))
            {
                switch (field)
                {
                    case 1:
                        foreach (var (typeField, typeValue) in Fields(value))
                        {
                            (apiVersion, kind) = typeField == 1 ? (typeValue.ToStringUtf8(), kind) : typeField == 2 ? (apiVersion, typeValue.ToStringUtf8()) : (apiVersion, kind);
                        }

                        break;
                    case 2:
                        raw = value;
                        break;
                }
            }

            var item = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
            switch (kind)
            {
                case "Namespace":
                    Object(item, raw, (f, v) => f switch
                    {
                        2 when Strings(v, 1) is { Count: > 0 } finalizers => ("spec", new JsonObject { ["finalizers"] = finalizers }),
                        _ => null,
                    });
                    break;
                case "Secret":
                    Object(item, raw, (f, v) => f switch
                    {
                        2 => ("data", null),
                        3 => ("type", v.ToStringUtf8()),
                        5 => ("immutable", v.Length > 0),
                        _ => null,
                    });
                    Maps(item, raw, (2, "data", true), (4, "stringData", false));
                    break;
                case "ConfigMap":
                    Object(item, raw, (f, v) => f == 4 ? ("immutable", v.Length > 0) : null);
                    Maps(item, raw, (2, "data", false), (3, "binaryData", true));
                    break;
                case "ServiceAccount":
                    Object(item, raw, (f, v) => f == 4 ? ("automountServiceAccountToken", v.Length > 0) : null);
                    break;
                default:
                    throw new ApiError(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
                        $"the in-memory server decodes protobuf bodies of Namespace, Secret, ConfigMap and ServiceAccount only, not {kind ?? type?.Kind}: send application/json");
            }

            return item;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiError.BadRequest($"unable to decode the protobuf body: {e.Message}");
        }
    }

    // Field 1 of every object is its ObjectMeta; other fields are mapped by the kind.
    private static void Object(JsonObject item, ByteString raw, Func<int, ByteString, (string Name, JsonNode? Value)?> map)
    {
        foreach (var (field, value) in Fields(raw))
        {
            if (field == 1)
            {
                item["metadata"] = Metadata(value);
            }
            else if (map(field, value) is { Value: not null } mapped)
            {
                item[mapped.Name] = mapped.Value;
            }
        }
    }

    private static void Maps(JsonObject item, ByteString raw, params (int Field, string Name, bool Bytes)[] maps)
    {
        foreach (var (field, name, bytes) in maps)
        {
            var map = Map(raw, field, bytes);
            if (map.Count > 0)
            {
                item[name] = map;
            }
        }
    }

    private static JsonObject Metadata(ByteString raw)
    {
        var metadata = new JsonObject();
        foreach (var (field, value) in Fields(raw).Where(f => f.Value.Length > 0))
        {
            switch (field)
            {
                case 1:
                    metadata["name"] = value.ToStringUtf8();
                    break;
                case 2:
                    metadata["generateName"] = value.ToStringUtf8();
                    break;
                case 3:
                    metadata["namespace"] = value.ToStringUtf8();
                    break;
                case 6:
                    metadata["resourceVersion"] = value.ToStringUtf8();
                    break;
            }
        }

        foreach (var (field, name) in new[] { (11, "labels"), (12, "annotations") })
        {
            var map = Map(raw, field, bytes: false);
            if (map.Count > 0)
            {
                metadata[name] = map;
            }
        }

        if (Strings(raw, 14) is { Count: > 0 } finalizers)
        {
            metadata["finalizers"] = finalizers;
        }

        return metadata;
    }

    private static JsonArray Strings(ByteString raw, int field) =>
        [.. Fields(raw).Where(f => f.Field == field).Select(f => (JsonNode?)f.Value.ToStringUtf8())];

    // A protobuf map is a repeated entry message {1: key, 2: value}.
    private static JsonObject Map(ByteString raw, int field, bool bytes)
    {
        var map = new JsonObject();
        foreach (var (_, entry) in Fields(raw).Where(f => f.Field == field))
        {
            string key = string.Empty;
            var value = ByteString.Empty;
            foreach (var (entryField, entryValue) in Fields(entry))
            {
                (key, value) = entryField == 1 ? (entryValue.ToStringUtf8(), value) : (key, entryValue);
            }

            map[key] = bytes ? Convert.ToBase64String(value.ToByteArray()) : value.ToStringUtf8();
        }

        return map;
    }

    // Every field of a message as (number, payload): varints come back as their little-endian bytes (non-empty when non-zero).
    private static List<(int Field, ByteString Value)> Fields(ByteString message)
    {
        var fields = new List<(int, ByteString)>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.LengthDelimited:
                    fields.Add((number, input.ReadBytes()));
                    break;
                case WireFormat.WireType.Varint:
                    var varint = input.ReadUInt64();
                    fields.Add((number, varint == 0 ? ByteString.Empty : ByteString.CopyFrom(BitConverter.GetBytes(varint))));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return fields;
    }
}
