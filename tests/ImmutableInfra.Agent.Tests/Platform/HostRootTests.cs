using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Tests.Platform;

public sealed class HostRootTests
{
    [Theory]
    [InlineData("/etc/kubernetes/../hosts", "/srv/root/etc/hosts")]
    [InlineData("/etc/./a//b", "/srv/root/etc/a/b")]
    [InlineData("/", "/srv/root/")]
    public void Resolve_NormalisesInsideTheRoot(string hostPath, string expected) =>
        Assert.Equal(expected.TrimEnd('/'), new HostRoot("/srv/root").Resolve(hostPath).TrimEnd('/'));

    [Theory]
    [InlineData("/../etc/passwd")]
    [InlineData("/etc/../../etc/passwd")]
    [InlineData("relative/path")]
    public void Resolve_PathLeavingTheRoot_IsRefused(string hostPath) =>
        Assert.Throws<PathEscapeException>(() => new HostRoot("/srv/root").Resolve(hostPath));

    [Fact]
    public void Resolve_RealRoot_IsIdentity() => Assert.Equal("/etc/hosts", new HostRoot("/").Resolve("/etc//hosts"));
}
