using System.Text;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Crds;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>The per-kind behaviour of the built-ins the server serves, and CRD registration.</summary>
internal sealed class KindAdmission(CrdRegistrar crds) : IObjectAdmission
{
    public void Admit(ResourceType type, JsonObject item, JsonObject? previous, bool dryRun)
    {
        switch (type.StorageKey)
        {
            case "/secrets":
                FoldStringData(item);
                if (item["type"] is not JsonValue secretType || secretType.ToString().Length == 0)
                {
                    item["type"] = "Opaque";
                }
                break;
            case "/namespaces" when previous is null:
                item["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "apiextensions.k8s.io/customresourcedefinitions":
                crds.Admit(item, dryRun);
                break;
        }
    }

    public void Deleted(ResourceType type, JsonObject item)
    {
        if (type.StorageKey == "apiextensions.k8s.io/customresourcedefinitions")
        {
            crds.Unregister(item);
        }
    }

    // stringData is write-only: the server folds it into data (base64) and never returns it.
    private static void FoldStringData(JsonObject item)
    {
        if (item["stringData"] is not JsonObject stringData)
        {
            return;
        }

        if (item["data"] is not JsonObject data)
        {
            data = [];
            item["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
        }

        item.Remove("stringData");
    }
}
