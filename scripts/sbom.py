#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes an SPDX 2.3 JSON SBOM of one release artifact from what went into it: the Debian packages
extracted into it (name, version, architecture from each .deb) and the NuGet packages and runtime packs its
.NET publish resolved (the publish's project.assets.json for the target runtime), plus our own projects.

Deterministic: the same inputs give the same bytes (sorted, creation time from SOURCE_DATE_EPOCH).
Usage: sbom.py --name N --version V --rid RID --assets project.assets.json [--debs DIR] [--checksum SHA256]
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# Packages that run at build time only (the trimmer's tasks, the host's NativeAOT compiler): build tools of
# the artifact, not in it.
BUILD_TOOLS = re.compile(r"^(Microsoft\.NET\.ILLink\.Tasks|Microsoft\.DotNet\.ILCompiler|runtime\.linux-x64\.Microsoft\.DotNet\.ILCompiler)$")


def spdx_id(kind, name, version):
    return "SPDXRef-" + re.sub(r"[^A-Za-z0-9.-]", "-", f"{kind}-{name}-{version}")


def nuget_license(name, version):
    """The nuspec's licence expression, from the local package cache restore filled."""
    root = Path(os.environ.get("NUGET_PACKAGES", Path.home() / ".nuget/packages"))
    nuspec = root / name.lower() / version.lower() / f"{name.lower()}.nuspec"
    if nuspec.exists():
        match = re.search(r'<license type="expression">([^<]+)</license>', nuspec.read_text(encoding="utf-8"))
        if match:
            return match.group(1).strip()
    return "NOASSERTION"


def nuget_packages(assets_path, rid):
    assets = json.loads(Path(assets_path).read_text(encoding="utf-8"))
    targets = [k for k in assets["targets"] if k.endswith("/" + rid)]
    if len(targets) != 1:
        sys.exit(f"sbom.py: {assets_path} has no single target for {rid} (restored for {list(assets['targets'])})")
    framework = next(iter(assets["project"]["frameworks"].values()))
    packages, projects = [], []
    for key, entry in assets["targets"][targets[0]].items():
        name, version = key.split("/", 1)
        (projects if entry["type"] == "project" else packages).append((name, version))
    # Runtime packs are downloads, not dependencies: those of the frameworks the project references are in it.
    frameworks = tuple(framework.get("frameworkReferences", {}))
    for download in framework.get("downloadDependencies", []):
        name = download["name"]
        if ".App.Runtime." in name and not name.startswith(frameworks):
            continue
        packages.append((name, download["version"].strip("[]").split(",")[0].strip()))
    return packages, projects


def deb_packages(directory):
    for deb in sorted(Path(directory).glob("*.deb")):
        fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Architecture"],
                                check=True, capture_output=True, text=True).stdout
        values = dict(line.split(": ", 1) for line in fields.strip().split("\n"))
        yield values["Package"], values["Version"], values["Architecture"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--rid", required=True)
    parser.add_argument("--assets", required=True)
    parser.add_argument("--debs")
    parser.add_argument("--checksum", help="SHA-256 of the artifact (file, or the image manifest's digest)")
    args = parser.parse_args()

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    created = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    root_id = spdx_id("Package", args.name, args.version)
    root = {
        "name": args.name, "SPDXID": root_id, "versionInfo": args.version, "supplier": "Organization: ImmutableInfra project",
        "downloadLocation": "NOASSERTION", "filesAnalyzed": False, "licenseConcluded": "Apache-2.0", "licenseDeclared": "Apache-2.0",
        "copyrightText": "NOASSERTION",
    }
    if args.checksum:
        root["checksums"] = [{"algorithm": "SHA256", "checksumValue": args.checksum.removeprefix("sha256:")}]
    packages, relationships = [root], [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": root_id}]

    def add(kind, name, version, purl, licence, supplier, relation="CONTAINS"):
        element = spdx_id(kind, name, version)
        packages.append({
            "name": name, "SPDXID": element, "versionInfo": version, "supplier": supplier, "downloadLocation": "NOASSERTION",
            "filesAnalyzed": False, "licenseConcluded": "NOASSERTION", "licenseDeclared": licence, "copyrightText": "NOASSERTION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}],
        })
        if relation == "CONTAINS":
            relationships.append({"spdxElementId": root_id, "relationshipType": "CONTAINS", "relatedSpdxElement": element})
        else:
            relationships.append({"spdxElementId": element, "relationshipType": relation, "relatedSpdxElement": root_id})

    nuget, projects = nuget_packages(args.assets, args.rid)
    for name, version in sorted(set(nuget)):
        relation = "BUILD_TOOL_OF" if BUILD_TOOLS.match(name) else "CONTAINS"
        add("NuGet", name, version, f"pkg:nuget/{name}@{version}", nuget_license(name, version), "Organization: NuGet package author", relation)
    for name, version in sorted(set(projects)):
        add("Project", name, version, f"pkg:generic/immutableinfra/{name}@{version}", "Apache-2.0", "Organization: ImmutableInfra project")
    if args.debs:
        for name, version, arch in deb_packages(args.debs):
            add("Deb", name, version, f"pkg:deb/debian/{name}@{version}?arch={arch}&distro=debian-12", "NOASSERTION", "Organization: Debian")

    body = {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{args.name}-{args.version}",
        "creationInfo": {"created": created, "creators": ["Tool: scripts/sbom.py"]},
        "packages": packages, "relationships": relationships,
    }
    # A namespace unique to this content, as SPDX asks, without a random part.
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    body["documentNamespace"] = f"https://spdx.org/spdxdocs/{args.name}-{args.version}-{digest}"
    json.dump(body, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
