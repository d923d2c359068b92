using ImmutableInfra.Api.V1Beta1;
using Grpc.Core;

namespace ImmutableInfra.Coordinator.AgentApi.Registration;

/// <summary>Who a registrant says it is (normalized), and the credential it still holds, if any.</summary>
internal sealed record Registrant(string Uuid, IReadOnlyList<string> Macs, string Serial, string Credential, string Source)
{
    public IEnumerable<string> IdentityKeys =>
        (Uuid.Length > 0 ? ["uuid:" + Uuid] : Array.Empty<string>()).Concat(Macs.Select(m => "mac:" + m));
}

/// <summary>What the registrar does with a registrant.</summary>
internal abstract record RegistrationDecision
{
    /// <summary>No record is this host's: a new one is made.</summary>
    public sealed record Create : RegistrationDecision;

    /// <summary>The record is this host's and gets a new credential; <see cref="How"/> says what allowed it.</summary>
    public sealed record Issue(MachineInventory Host, IssueGrounds How) : RegistrationDecision;

    /// <summary>Refused. <see cref="Host"/> is the record it concerns (its Event, its pending request), if any.</summary>
    public sealed record Refuse(StatusCode Code, string Reason, string Message, MachineInventory? Host, bool WaitsForOperator) : RegistrationDecision;
}

/// <summary>Why a registrant was given a credential for an existing record.</summary>
internal enum IssueGrounds
{
    /// <summary>The record never had a credential: its registration was interrupted after the record was made.</summary>
    Unfinished,

    /// <summary>It presented the record's current credential.</summary>
    OldCredential,

    /// <summary>An operator approved this re-key.</summary>
    OperatorApproval,

    /// <summary>Unclaimed host of a pool that auto-approves, identity fully agreeing: as good as a new host.</summary>
    AutoApprove,
}

/// <summary>
/// The identity rules, as a pure function of the registrant and the records of its pool that share any identity fact
/// with it. Each rule says why it is so: the system UUID is the identity; MACs and the serial are evidence, and
/// everything a registrant sends is only a claim, so a credential is handed over only when the claim is backed by
/// something an impostor on the network does not have (the old credential, an operator, or nothing worth taking).
/// </summary>
internal static class IdentityRules
{
    /// <summary>How long an operator's re-key approval stays good: long enough to reboot a host, short enough not to lie around.</summary>
    public static readonly TimeSpan ApprovalLifetime = TimeSpan.FromHours(1);

    public static RegistrationDecision Decide(
        Registrant registrant, IReadOnlyList<MachineInventory> matches, bool poolAutoApproves, DateTimeOffset now, Func<MachineInventory, bool> isConnected)
    {
        // A MAC is visible to anyone on the host's L2 segment and set with one command; the UUID is the identity. A
        // registrant that shares a MAC with a record but names another UUID is an impostor, a cloned image or a moved
        // NIC: none of those may take the record, and which one it is needs a person.
        foreach (var host in matches)
        {
            var recorded = RecordedUuid(host);
            if (recorded.Length > 0 && registrant.Uuid.Length > 0 && recorded != registrant.Uuid)
            {
                return new RegistrationDecision.Refuse(StatusCode.AlreadyExists, "IdentityContradiction",
                    $"a host with a MAC address of {host.Metadata.Name} but system UUID {registrant.Uuid} (the record's is {recorded}) was refused; "
                    + "if the NIC really moved, delete or correct the old record", host, WaitsForOperator: false);
            }

            // Without a UUID of its own, a registrant has only MACs, and a MAC match alone never re-keys a record
            // that has a UUID: the real host always sends its UUID.
            if (recorded.Length > 0 && registrant.Uuid.Length == 0)
            {
                return new RegistrationDecision.Refuse(StatusCode.AlreadyExists, "IdentityContradiction",
                    $"a host with a MAC address of {host.Metadata.Name} but no system UUID was refused; the record has UUID {recorded}",
                    host, WaitsForOperator: false);
            }
        }

        if (matches.Count == 0)
        {
            return new RegistrationDecision.Create();
        }

        if (matches.Count > 1)
        {
            return new RegistrationDecision.Refuse(StatusCode.FailedPrecondition, "AmbiguousIdentity",
                $"the identity matches several hosts ({string.Join(", ", matches.Select(h => h.Metadata.Name))}); an operator must resolve it",
                null, WaitsForOperator: false);
        }

        var record = matches[0];
        var name = record.Metadata.Name;
        var presentedCurrent = registrant.Credential.Length > 0 && HostCredential.Matches(registrant.Credential, record.Status?.CredentialHash);

        // An operator's "no" stands until an operator says otherwise.
        if (record.Spec?.Denied == true)
        {
            return new RegistrationDecision.Refuse(StatusCode.PermissionDenied, "Denied",
                $"an operator denied host {name}; `kubectl baremetal hosts approve {name}` admits it again", record, WaitsForOperator: false);
        }

        // A second machine presenting a live host's identity is a cloned image or a spoof: refuse it instead of letting
        // the last one win (and take over the first one's machine). The live host itself may still prove it is itself.
        if (!presentedCurrent && isConnected(record))
        {
            return new RegistrationDecision.Refuse(StatusCode.AlreadyExists, "DuplicateIdentity",
                $"host {name} with this identity is connected now; refusing a second host with the same identity", record, WaitsForOperator: false);
        }

        if (presentedCurrent)
        {
            return new RegistrationDecision.Issue(record, IssueGrounds.OldCredential);
        }

        if (string.IsNullOrEmpty(record.Status?.CredentialHash) && record.Status?.CredentialIssuedAt is null && record.Status?.Claim is null)
        {
            // Made by a registration that ended before it wrote the credential: nothing was ever handed out for it.
            return new RegistrationDecision.Issue(record, IssueGrounds.Unfinished);
        }

        if (ApprovalStands(record, now))
        {
            return new RegistrationDecision.Issue(record, IssueGrounds.OperatorApproval);
        }

        // Re-keying without the old credential: everything below is a registrant that only *says* it is this host.
        // A claimed host holds a machine and will be sent its bootstrap data (the cluster's certificates and join
        // credentials): never without a person's approval, whatever the pool says.
        if (record.Status?.Claim?.MachineRef is { } machine)
        {
            return WaitForOperator(record, $"host {name} is claimed by machine {machine.Name}; re-keying it without its old credential needs an operator: "
                + $"`kubectl baremetal hosts rekey {name}`");
        }

        if (!poolAutoApproves)
        {
            return WaitForOperator(record, $"host {name}'s pool does not auto-approve; re-keying it without its old credential needs an operator: "
                + $"`kubectl baremetal hosts rekey {name}`");
        }

        // The serial is evidence too: the same UUID with another serial is not the same board as far as we can tell.
        var recordedSerial = RegistrationLimits.Normalize(record.Spec?.Identity?.Serial ?? string.Empty);
        if (recordedSerial.Length > 0 && registrant.Serial.Length > 0 && recordedSerial != registrant.Serial)
        {
            return WaitForOperator(record, $"host {name}'s serial number differs from the record's; re-keying it needs an operator: "
                + $"`kubectl baremetal hosts rekey {name}`");
        }

        // Unclaimed, in a pool that admits any token holder as a new host anyway, identity agreeing: handing this
        // record over gives nothing a new record would not. It is still loud: the old credential stops working.
        return new RegistrationDecision.Issue(record, IssueGrounds.AutoApprove);
    }

    /// <summary>
    /// Whether an operator's re-key approval is given, not used, not older than the current credential and not too
    /// old. Times are whole seconds (metav1.Time), so a credential issued in the approval's own second does not void it.
    /// </summary>
    public static bool ApprovalStands(MachineInventory host, DateTimeOffset now) =>
        host.Spec?.RekeyApprovedAt is { } approved
        && host.Status?.RekeyApprovalUsed != approved
        && (host.Status?.CredentialIssuedAt is not { } issued || issued <= approved)
        && now - approved < ApprovalLifetime;

    private static string RecordedUuid(MachineInventory host) => RegistrationLimits.Normalize(host.Spec?.Identity?.SystemUuid ?? string.Empty);

    private static RegistrationDecision.Refuse WaitForOperator(MachineInventory record, string message) =>
        new(StatusCode.FailedPrecondition, "RekeyNeedsApproval", message, record, WaitsForOperator: true);
}
