using System.Globalization;

using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>Writes: create, update (main and status), merge patch and delete, with the real server's rules.</summary>
internal sealed partial class ObjectStore
{
    public StoredObject Create(ResourceType type, string? ns, JsonObject item, WriteOptions? write = null)
    {
        lock (_lock)
        {
            return CreateLocked(type, ns, item, write ?? WriteOptions.Internal, recordManager: true);
        }
    }

    private StoredObject CreateLocked(ResourceType type, string? ns, JsonObject item, WriteOptions write, bool recordManager)
    {
        {
            var metadata = PrepareIdentity(type, ns, item);
            if (metadata["name"] is null && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
            {
                metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
            }

            var name = metadata["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                throw ApiError.Invalid(type, string.Empty, FieldCause.Required("metadata.name", "name or generateName is required"));
            }

            ObjectValidation.ValidateName(type, name);
            if (type.Namespaced && !Collection(BuiltInNamespaces).ContainsKey(ns!))
            {
                throw ApiError.NotFound(BuiltInNamespaces, ns!);
            }

            if (Collection(type).ContainsKey(Key(ns, name)))
            {
                throw ApiError.AlreadyExists(type, name);
            }

            // Custom resources with a status subresource ignore status on create.
            if (type.IsCustom && type.HasStatus)
            {
                item.Remove("status");
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Timestamp();
            metadata["generation"] = 1;
            metadata.Remove("deletionTimestamp");
            metadata.Remove("resourceVersion");
            Prepare(type, name, item, null, write);
            if (recordManager)
            {
                metadata.Remove("managedFields");
                Patching.ManagedFields.RecordUpdate(type, null, item, write.Manager, status: false, Timestamp());
            }

            admission.Admit(type, item, null, write.DryRun);
            return write.DryRun ? StoredObject.From(item, 0) : Commit(type, item, "ADDED", null);
        }
    }

    public StoredObject Update(ResourceType type, string? ns, string name, JsonObject item, bool statusOnly, WriteOptions? write = null)
    {
        write ??= WriteOptions.Internal;
        lock (_lock)
        {
            var existing = Collection(type).GetValueOrDefault(Key(ns, name)) ?? throw ApiError.NotFound(type, name);
            var metadata = PrepareIdentity(type, ns, item);
            if (metadata["name"]?.GetValue<string>() is { } bodyName && bodyName != name)
            {
                throw ApiError.BadRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
            }

            metadata["name"] = name;
            var sentVersion = metadata["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiError.Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var previous = existing.ToNode();
            var next = statusOnly ? WithStatusOf(previous, item) : WithServerFields(type, previous, item);
            Patching.ManagedFields.RecordUpdate(type, previous, next, write.Manager, statusOnly, Timestamp());
            return Write(type, previous, next, existing, write);
        }
    }

    public StoredObject Patch(ResourceType type, string? ns, string name, PatchKind kind, JsonNode? patch, bool statusOnly, WriteOptions? write = null)
    {
        write ??= WriteOptions.Internal;
        lock (_lock)
        {
            var existing = Collection(type).GetValueOrDefault(Key(ns, name));
            if (kind == PatchKind.Apply)
            {
                return ApplyLocked(type, ns, name, patch as JsonObject ?? throw ApiError.BadRequest("the apply configuration is not an object"), existing, statusOnly, write);
            }

            if (existing is null)
            {
                throw ApiError.NotFound(type, name);
            }

            var merged = kind switch
            {
                PatchKind.Json => Patching.JsonPatch.Apply(existing.ToNode(), patch),
                PatchKind.Strategic => Patching.StrategicMergePatch.Apply(type, existing.ToNode(), patch),
                _ => MergePatch.Apply(existing.ToNode(), patch as JsonObject ?? throw ApiError.BadRequest("json: cannot unmarshal the patch: not an object"))!.AsObject(),
            };
            var metadata = merged["metadata"] as JsonObject ?? throw ApiError.BadRequest("metadata: must be an object");
            var sentVersion = metadata["resourceVersion"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiError.Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            var previous = existing.ToNode();
            var next = statusOnly ? WithStatusOf(previous, merged) : WithServerFields(type, previous, merged);
            Patching.ManagedFields.RecordUpdate(type, previous, next, write.Manager, statusOnly, Timestamp());
            return Write(type, previous, next, existing, write);
        }
    }

    // Server-side apply: create when absent, else merge by field ownership (409 on conflicts unless forced).
    private StoredObject ApplyLocked(ResourceType type, string? ns, string name, JsonObject applied, StoredObject? existing, bool statusOnly, WriteOptions write)
    {
        var bodyName = applied["metadata"]?["name"]?.GetValue<string>();
        if (bodyName is not null && bodyName != name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        PrepareIdentity(type, ns, applied)["name"] = name;
        if (existing is null)
        {
            if (statusOnly)
            {
                throw ApiError.NotFound(type, name);
            }

            var created = Patching.ManagedFields.Apply(type, null, applied, write.Manager, write.Force, status: false, Timestamp());
            return CreateLocked(type, ns, created, write, recordManager: false);
        }

        var previous = existing.ToNode();
        var merged = Patching.ManagedFields.Apply(type, previous, applied, write.Manager, write.Force, statusOnly, Timestamp());
        var managed = merged["metadata"]?["managedFields"]?.DeepClone();
        var next = statusOnly ? WithStatusOf(previous, merged) : WithServerFields(type, previous, merged);
        next["metadata"]!.AsObject()["managedFields"] = managed;
        return Write(type, previous, next, existing, write);
    }

    public StoredObject Delete(ResourceType type, string? ns, string name, JsonObject? deleteOptions, bool dryRun = false)
    {
        lock (_lock)
        {
            var existing = Collection(type).GetValueOrDefault(Key(ns, name)) ?? throw ApiError.NotFound(type, name);
            var node = existing.ToNode();
            var metadata = node["metadata"]!.AsObject();
            if (deleteOptions?["preconditions"] is JsonObject preconditions)
            {
                var uid = preconditions["uid"]?.GetValue<string>();
                var actualUid = metadata["uid"]?.GetValue<string>();
                if (uid is not null && uid != actualUid)
                {
                    throw ApiError.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {actualUid}");
                }

                var version = preconditions["resourceVersion"]?.GetValue<string>();
                var actualVersion = existing.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                if (version is not null && version != actualVersion)
                {
                    throw ApiError.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {actualVersion}");
                }
            }

            if (metadata["finalizers"] is JsonArray { Count: > 0 })
            {
                if (metadata["deletionTimestamp"] is not null)
                {
                    return existing;
                }

                metadata["deletionTimestamp"] = Timestamp();
                metadata["deletionGracePeriodSeconds"] = 0;
                return dryRun ? StoredObject.From(node, existing.ResourceVersion) : Commit(type, node, "MODIFIED", existing);
            }

            if (dryRun)
            {
                return existing;
            }

            if (type.StorageKey == BuiltInNamespaces.StorageKey)
            {
                DeleteNamespaceContents(name);
            }

            return Remove(type, existing, node);
        }
    }

    private StoredObject Write(ResourceType type, JsonObject previous, JsonObject next, StoredObject existing, WriteOptions write)
    {
        var nextMetadata = next["metadata"]!.AsObject();
        Prepare(type, existing.Name, next, previous, write);
        if (ObjectValidation.SpecChanged(type, previous, next))
        {
            nextMetadata["generation"] = (previous["metadata"]?["generation"]?.GetValue<long>() ?? 1) + 1;
        }

        admission.Admit(type, next, previous, write.DryRun);
        nextMetadata.Remove("resourceVersion");
        var previousWithoutVersion = previous.DeepClone().AsObject();
        previousWithoutVersion["metadata"]!.AsObject().Remove("resourceVersion");
        if (JsonNode.DeepEquals(previousWithoutVersion, next))
        {
            // A no-op write does not move the resourceVersion, as in the real server.
            return existing;
        }

        if (write.DryRun)
        {
            nextMetadata["resourceVersion"] = existing.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            return StoredObject.From(next, existing.ResourceVersion);
        }

        if (nextMetadata["deletionTimestamp"] is not null && nextMetadata["finalizers"] is not JsonArray { Count: > 0 })
        {
            return Remove(type, existing, next);
        }

        return Commit(type, next, "MODIFIED", existing);
    }

    // What the real server does to a custom resource before storing it: prune, default, validate (422).
    private void Prepare(ResourceType type, string name, JsonObject item, JsonObject? previous, WriteOptions write)
    {
        if (type.Schema is not { } schema)
        {
            return;
        }

        var unknown = schema.PruneAndDefault(item);
        if (unknown.Count > 0)
        {
            Http.InMemoryServerLog.Pruned(logger, type.QualifiedKind, name, unknown, write.Manager);
        }
        if (unknown.Count > 0 && write.Validation == FieldValidation.Strict)
        {
            throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""))}");
        }

        if (write.Validation == FieldValidation.Warn)
        {
            write.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
        }

        var causes = schema.Validate(item, previous);
        if (causes.Count > 0)
        {
            throw ApiError.Invalid(type, name, [.. causes]);
        }
    }

    private StoredObject Remove(ResourceType type, StoredObject existing, JsonObject node)
    {
        Collection(type).Remove(existing.Key);
        var removed = StoredObject.From(Stamp(node), _resourceVersion);
        Publish(type, new WatchItem(WatchItemKind.Event, "DELETED", removed, removed.ResourceVersion), existing);
        admission.Deleted(type, node);
        return removed;
    }

    private void DeleteNamespaceContents(string ns)
    {
        foreach (var (storageKey, collection) in _collections)
        {
            var type = _typesByStorageKey.GetValueOrDefault(storageKey);
            if (type is null || !type.Namespaced)
            {
                continue;
            }

            foreach (var item in collection.Values.Where(o => o.Namespace == ns).ToList())
            {
                Remove(type, item, item.ToNode());
            }
        }
    }

    private StoredObject Commit(ResourceType type, JsonObject node, string eventType, StoredObject? previous)
    {
        _typesByStorageKey[type.StorageKey] = type;
        var stored = StoredObject.From(Stamp(node), _resourceVersion);
        Collection(type)[stored.Key] = stored;
        Publish(type, new WatchItem(WatchItemKind.Event, eventType, stored, stored.ResourceVersion), previous);
        return stored;
    }

    private JsonObject Stamp(JsonObject node)
    {
        _resourceVersion++;
        node["metadata"]!.AsObject()["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        return node;
    }

    private static JsonObject PrepareIdentity(ResourceType type, string? ns, JsonObject item)
    {
        if (item["apiVersion"]?.GetValue<string>() is { } apiVersion && GroupOf(apiVersion) != type.Group)
        {
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (item["kind"]?.GetValue<string>() is { } kind && kind != type.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }

        item["apiVersion"] = type.ApiVersion;
        item["kind"] = type.Kind;
        if (item["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            item["metadata"] = metadata;
        }

        if (type.Namespaced)
        {
            var bodyNamespace = metadata["namespace"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        return metadata;
    }

    // Update of the main resource: the server owns identity fields, and with a status subresource also status.
    private static JsonObject WithServerFields(ResourceType type, JsonObject previous, JsonObject next)
    {
        var from = previous["metadata"]!.AsObject();
        var to = next["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "managedFields" })
        {
            to.Remove(field);
            if (from[field] is { } value)
            {
                to[field] = value.DeepClone();
            }
        }

        if (type.HasStatus)
        {
            next.Remove("status");
            if (previous["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
        }

        return next;
    }

    // Update of the status subresource: everything but status comes from the stored object.
    private static JsonObject WithStatusOf(JsonObject previous, JsonObject sent)
    {
        var next = previous.DeepClone().AsObject();
        next.Remove("status");
        if (sent["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }

        return next;
    }

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static readonly ResourceType BuiltInNamespaces = Crds.BuiltInTypes.Namespaces;

    private readonly Dictionary<string, ResourceType> _typesByStorageKey = new(StringComparer.Ordinal);

}
