using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Tests.Configuration;

public sealed class CredentialStoreTests
{
    [Fact]
    public void Save_WritesOwnerOnlyFile_AndLoadReadsItBack()
    {
        using var dir = new TempDirectory();
        var store = new CredentialStore(dir.Combine("state"));

        store.Save("host-credential-1");
        store.Save("host-credential-2");

        Assert.Equal("host-credential-2", store.Load());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.Single(Directory.GetFiles(dir.Combine("state")));
    }
}
