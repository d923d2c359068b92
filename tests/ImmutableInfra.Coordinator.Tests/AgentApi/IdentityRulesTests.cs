using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.AgentApi.Registration;
using Grpc.Core;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Tests.AgentApi;

/// <summary>The identity rules as a function, for the cases the API tests do not reach, and the names and sources they use.</summary>
public sealed class IdentityRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private const string Uuid = "0a0a0a0a-0000-4000-8000-000000000001";
    private const string Mac = "02:00:00:00:00:01";

    [Fact]
    public void TheSameUuidWithAnotherSerial_IsNotReKeyedWithoutAnOperator_EvenInAnAutoApprovingPool()
    {
        var decision = Decide(Registrant(serial: "other-board"), Record(serial: "board-1"));

        var refusal = Assert.IsType<RegistrationDecision.Refuse>(decision);
        Assert.Equal(StatusCode.FailedPrecondition, refusal.Code);
        Assert.True(refusal.WaitsForOperator);
    }

    [Fact]
    public void ARegistrantWithoutAUuid_NeverGetsARecordThatHasOne_ByItsMac()
    {
        var refusal = Assert.IsType<RegistrationDecision.Refuse>(Decide(Registrant(uuid: string.Empty), Record()));

        Assert.Equal("IdentityContradiction", refusal.Reason);
    }

    [Fact]
    public void AnUnfinishedRecord_IsCompleted_ButAClaimedOneIsNot()
    {
        var unfinished = Record(credentialHash: null);
        var claimed = Record(credentialHash: null);
        claimed.Status!.Claim = new HostClaim { MachineRef = new MachineReference { Name = "m", Uid = "u" } };

        Assert.Equal(IssueGrounds.Unfinished, Assert.IsType<RegistrationDecision.Issue>(Decide(Registrant(), unfinished)).How);
        Assert.IsType<RegistrationDecision.Refuse>(Decide(Registrant(), claimed));
    }

    [Fact]
    public void AnApproval_StandsOnceWithinTheHour_AndNotAfterANewerCredential()
    {
        var record = Record();
        record.Spec!.RekeyApprovedAt = Now.AddMinutes(-5);
        record.Status!.CredentialIssuedAt = Now.AddMinutes(-10);

        Assert.True(IdentityRules.ApprovalStands(record, Now));
        Assert.False(IdentityRules.ApprovalStands(record, Now.AddMinutes(56)));
        record.Status.RekeyApprovalUsed = record.Spec.RekeyApprovedAt;
        Assert.False(IdentityRules.ApprovalStands(record, Now));
        record.Status.RekeyApprovalUsed = null;
        record.Status.CredentialIssuedAt = Now.AddMinutes(-1);
        Assert.False(IdentityRules.ApprovalStands(record, Now));
    }

    [Fact]
    public void Names_OfTenThousandLocalhosts_AreDistinct_FitALabel_AndAFallbackIsAnotherName()
    {
        var names = Enumerable.Range(0, 10_000).Select(i => InventoryNames.For("localhost", Guid.NewGuid().ToString(), [])).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Equal("localhost-".Length + 16, n.Length));
        Assert.True(InventoryNames.For(new string('x', 300), Uuid, []).Length <= 63);
        Assert.NotEqual(InventoryNames.For("localhost", Uuid, []), InventoryNames.For("localhost", Uuid, [], attempt: 1));
    }

    [Theory]
    [InlineData("ipv4:198.18.0.7:40123", "198.18.0.7")]
    [InlineData("ipv6:[::ffff:198.18.0.7]:40123", "198.18.0.7")]
    [InlineData("ipv6:[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443", "2001:db8:1:2::/64")]
    [InlineData("ipv6:[2001:db8:1:2::9]:443", "2001:db8:1:2::/64")]
    [InlineData("garbage", "unknown")]
    public void SourceAddress_IsTheIpv4Address_OrTheIpv6Slash64(string peer, string key) =>
        Assert.Equal(key, SourceAddress.KeyOf(peer));

    private static RegistrationDecision Decide(Registrant registrant, MachineInventory record) =>
        IdentityRules.Decide(registrant, [record], poolAutoApproves: true, Now, _ => false);

    private static Registrant Registrant(string uuid = Uuid, string serial = "board-1") => new(uuid, [Mac], serial, string.Empty, "198.18.0.9");

    private static MachineInventory Record(string serial = "board-1", string? credentialHash = "sha256:00") => new()
    {
        Metadata = new ObjectMeta { Name = "host-1", Namespace = "lab", Uid = "uid-1" },
        Spec = new MachineInventorySpec { Identity = new HostIdentity { SystemUuid = Uuid, Macs = [Mac], Serial = serial }, Approved = true },
        Status = new MachineInventoryStatus { CredentialHash = credentialHash, CredentialIssuedAt = credentialHash is null ? null : Now.AddDays(-1) },
    };
}
