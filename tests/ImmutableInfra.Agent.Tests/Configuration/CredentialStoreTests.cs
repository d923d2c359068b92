using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Tests.Configuration;

public sealed class CredentialStoreTests
{
    [Fact]
    public void Save_WritesOwnerOnlyFile_AndLoadReadsItBack()
    {
        using var dir = new TempDirectory();
        var store = new CredentialStore(dir.Combine("state"));

        store.Save(new Enrollment("ns", "host-1", "host-credential-1"));
        store.Save(new Enrollment("ns", "host-1", "host-credential-2"));

        Assert.Equal(new Enrollment("ns", "host-1", "host-credential-2"), store.Load());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.Single(Directory.GetFiles(dir.Combine("state")));
    }

    [Fact]
    public void Load_DamagedOrDeletedFile_ReturnsNull()
    {
        using var dir = new TempDirectory();
        var store = new CredentialStore(dir.Combine("state"));
        store.Save(new Enrollment("ns", "host-1", "secret"));

        File.WriteAllText(store.Path, "{ not json");
        Assert.Null(store.Load());

        store.Delete();
        Assert.Null(store.Load());
    }

    [Fact]
    public void Enrollment_ToString_NeverShowsTheCredential()
    {
        Assert.DoesNotContain("secret", new Enrollment("ns", "host-1", "secret").ToString(), StringComparison.Ordinal);
    }
}
