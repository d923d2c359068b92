#!/usr/bin/python3
"""Where the agent's NativeAOT binary is: ILC's map file aggregated by owning assembly and namespace-ish prefix.

Publish with the map first:
  dotnet publish agent/ImmutableInfra.Agent -c Release -r linux-x64 -p:IlcGenerateMapFile=true -o DIR
  bench/AgentFootprint/binary_breakdown.py agent/ImmutableInfra.Agent/obj/Release/net10.0/linux-x64/native/immutableinfra-agent.map.xml [DEPTH]

Counts method code and the type data that follows types (method tables, generic dictionaries, statics), each node
under the assembly of its outermost mangled name, so Dictionary<K,V> code instantiated over a protobuf type counts
under CoreLib; the `over` column credits instantiations instead to the first of our or third-party assemblies named
in their type arguments, which is what makes them reachable. Names are ILC's mangled ones ('.' becomes '_'), so the
namespace column is the first DEPTH (default 2) underscore-separated parts after the assembly prefix, an approximation.
"""
import collections
import html
import re
import sys

# Mangled assembly prefixes, longest first where one is a prefix of another.
ASSEMBLIES = [
    "S_P_CoreLib", "S_P_TypeLoader", "S_P_StackTraceMetadata", "S_P_Reflection_Execution",
    "immutableinfra_agent", "ImmutableInfra_Contract", "ImmutableInfra_Grpc", "ImmutableInfra_Kubernetes", "ImmutableInfra_UntrustedYaml",
    "Google_Protobuf", "YamlDotNet", "Serilog_Extensions_Logging", "Serilog_Sinks_Console", "Serilog", "Polly_Core",
    "Microsoft_Extensions_Logging_Abstractions", "Microsoft_Extensions_Logging",
    "Microsoft_Extensions_Hosting_Abstractions", "Microsoft_Extensions_Hosting",
    "Microsoft_Extensions_DependencyInjection_Abstractions", "Microsoft_Extensions_DependencyInjection",
    "Microsoft_Extensions_Options", "Microsoft_Extensions_Primitives", "Microsoft_Extensions_Configuration",
    "Microsoft_Extensions_Diagnostics", "Microsoft_Extensions",
    "System_Net_Http", "System_Net_Security", "System_Net_Quic", "System_Net_Sockets", "System_Net_Primitives",
    "System_Net_NameResolution", "System_Net_NetworkInformation", "System_Net_WebHeaderCollection", "System_Net",
    "System_Security_Cryptography", "System_Text_RegularExpressions", "System_Text_Json", "System_Text_Encodings_Web",
    "System_Linq_Expressions", "System_Linq", "System_Collections_Concurrent", "System_Collections_Immutable",
    "System_Collections_Specialized", "System_Collections", "System_Diagnostics_DiagnosticSource",
    "System_Diagnostics_Process", "System_Diagnostics", "System_IO_Pipelines", "System_IO", "System_Formats_Asn1",
    "System_Console", "System_Threading_Channels", "System_Threading", "System_Runtime", "System_Private_Uri",
    "System_Memory", "System_ObjectModel", "System_ComponentModel", "System_Private", "System",
    "Internal_CompilerGenerated",
]
OURS_OR_THIRD_PARTY = [a for a in ASSEMBLIES if not a.startswith(("S_P_", "System", "Internal_"))]
CODE = {"MethodCode", "GCInfo", "MethodExceptionHandlingInfo", "MethodReadOnlyData"}
TYPE_DATA = {"ConstructedEEType", "CanonicalEEType", "GenericDefinitionEEType", "TypeGenericDictionary",
             "MethodGenericDictionary", "WritableData", "GCStatics", "NonGCStatics", "GCStaticsPreInitData",
             "InterfaceDispatchMap", "EETypeNode", "NecessaryEEType", "ReadyToRunHelper", "GenericComposition"}
NODE = re.compile(r'\s*<(\w+) Name="(.*?)" Length="(\d+)"')
PREFIX = re.compile(r"^(_ZTV\d+|__GenericDict_|__writableData|__GCStaticBase_|__NonGCStaticBase_|__GCStaticEEType_|"
                    r"__InterfaceDispatchMap_|__GenericComposition_|unbox_|__RuntimeMethodHandle_|__fatpointer_|"
                    r"__|Boxed_)+")


def owner(name):
    outer = PREFIX.sub("", name)
    for assembly in ASSEMBLIES:
        if outer.startswith(assembly + "_") or outer == assembly:
            rest = outer[len(assembly) + 1:].split("<")[0]
            return assembly, rest
    return "(other)", outer


def instantiated_over(name):
    args = name[name.find("<") + 1:] if "<" in name else ""
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", args):
        for assembly in OURS_OR_THIRD_PARTY:
            if token.startswith(assembly + "_"):
                return assembly
    return None


def main():
    path = sys.argv[1]
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    by_assembly = collections.defaultdict(collections.Counter)
    by_namespace = collections.defaultdict(collections.Counter)
    kinds = collections.Counter()
    for line in open(path, encoding="utf-8"):
        match = NODE.match(line)
        if not match:
            continue
        kind, name, length = match.group(1), html.unescape(match.group(2)), int(match.group(3))
        kinds[kind] += length
        column = "code" if kind in CODE else "types" if kind in TYPE_DATA else None
        if column is None:
            continue
        assembly, rest = owner(name)
        over = instantiated_over(name)
        by_assembly[assembly][column] += length
        by_assembly[over or assembly]["over"] += length
        by_namespace[assembly + ":" + "_".join(rest.split("_")[:depth])][column] += length

    print("node kinds (bytes):")
    for kind, length in kinds.most_common(12):
        print(f"  {kind:32s} {length:10,d}")
    print(f"\n{'assembly':48s} {'code':>10s} {'type data':>10s} {'total':>10s} {'by inst. arg':>12s}")
    for assembly, counts in sorted(by_assembly.items(), key=lambda item: -(item[1]["code"] + item[1]["types"] + item[1]["over"])):
        total = counts["code"] + counts["types"]
        if total + counts["over"] >= 20_000:
            print(f"{assembly:48s} {counts['code']:10,d} {counts['types']:10,d} {total:10,d} {counts['over']:12,d}")
    print(f"\n{'namespace (approx.)':72s} {'code':>10s} {'type data':>10s}")
    for namespace, counts in sorted(by_namespace.items(), key=lambda item: -(item[1]["code"] + item[1]["types"]))[:50]:
        print(f"{namespace:72s} {counts['code']:10,d} {counts['types']:10,d}")


if __name__ == "__main__":
    main()
