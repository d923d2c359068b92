using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Bootstrap.CloudConfig;
using ImmutableInfra.UntrustedYaml;

namespace ImmutableInfra.Agent.Tests.Bootstrap;

/// <summary>
/// Bootstrap data comes from outside the agent: broken or hostile YAML must end in a BootstrapParseException that
/// names line and column, never another exception, a stack overflow or unbounded work.
/// </summary>
public sealed class CloudConfigParserTests
{
    private const string Seed = """
        #cloud-config
        write_files:
        - path: /etc/kubernetes/pki/ca.crt
          owner: root:root
          permissions: '0640'
          content: |
            -----BEGIN CERTIFICATE-----
            MIIC6jCCAdKgAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl
            -----END CERTIFICATE-----
        - path: /run/kubeadm/kubeadm.yaml
          content: >-
            folded text
            "quoted" and {flow: [1, 2]}
        runcmd:
          - [ sh, -c, "echo \"a\tb\" > /tmp/x" ]
          - 'kubeadm init --config /run/kubeadm/kubeadm.yaml'
        users:
          - name: ops
            groups: [wheel, "docker"]
            ssh_authorized_keys: &keys
              - ssh-ed25519 AAAAC3Nza ops@host
          - {name: other, ssh_authorized_keys: *keys}
        ? explicit
        : !!str value # comment
        """;

    private const string Alphabet = " \t\n-:?,[]{}#&*!|>'\"%@`\\~0a9";

    [Fact]
    public void Seed_ReadsEveryModule()
    {
        var document = CloudConfigParser.Parse(Seed);

        Assert.Equal(["/etc/kubernetes/pki/ca.crt", "/run/kubeadm/kubeadm.yaml"], document.WriteFiles.Select(f => f.Path));
        Assert.Equal(["sh", "/bin/sh"], document.RunCmd.Select(c => c.FileName));
        Assert.Equal("kubeadm init --config /run/kubeadm/kubeadm.yaml", document.RunCmd[1].Arguments[1]);
        Assert.Equal(["ssh-ed25519 AAAAC3Nza ops@host"], document.Users[1].SshAuthorizedKeys);
    }

    [Theory]
    [InlineData("#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: [unclosed\n", "at line 5, column 1: ")]
    [InlineData("#cloud-config\nruncmd:\n  - a: b: c\n", "at line 3, column 9: ")]
    [InlineData("#cloud-config\nruncmd: []\nruncmd: []\n", "at line 3, column 1: Duplicate key")]
    [InlineData("#cloud-config\nruncmd: *nope\n", "at line 2, column 9: no anchor &nope precedes the alias")]
    [InlineData("#cloud-config\nruncmd:\n\t- a\n", "at line 2, column 7: While scanning a mapping, found invalid tab as indentation.")]
    [InlineData("#cloud-config\nusers:\n  - groups: [wheel, \"docker\"9\n", "at line 3, column 29: ")]
    [InlineData("#cloud-config\nruncmd: !!str] x\n", "at line 2, column 7: the text after this point cannot be read")]
    [InlineData("#cloud-config\nruncmd:\n  - : sh\n", "at line 4, column 1: the text after this point cannot be read")]
    public void InvalidYaml_NamesLineAndColumn(string text, string expected)
    {
        var e = Assert.Throws<BootstrapParseException>(() => CloudConfigParser.Parse(text));

        Assert.StartsWith("cloud-config: invalid YAML " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingDeeperThanTheBound_IsRefused_InsteadOfOverflowingTheStack()
    {
        var bound = UntrustedYamlReader.MaxDepth;
        var nested = (int depth) => "#cloud-config\nx: " + new string('[', depth - 1) + new string(']', depth - 1) + "\n";
        CloudConfigParser.Parse(nested(bound));

        var e = Assert.Throws<BootstrapParseException>(() => CloudConfigParser.Parse("#cloud-config\nx: " + new string('[', 100_000)));
        Assert.Equal($"cloud-config: invalid YAML at line 2, column {4 + bound - 1}: collections are nested deeper than {bound} levels", e.Message);
        var block = "#cloud-config\n" + string.Concat(Enumerable.Range(0, bound + 1).Select(i => new string(' ', i) + "k:\n"));
        Assert.Contains("nested deeper than", Assert.Throws<BootstrapParseException>(() => CloudConfigParser.Parse(block)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BillionLaughs_AsValues_ShareTheAnchoredNodes()
    {
        // Nine levels of ten aliases each: 10^9 leaves if aliases were copied.
        var text = "#cloud-config\n" + Laughs(9) + "runcmd: *l1\n";

        var document = CloudConfigParser.Parse(text);

        Assert.Equal(Enumerable.Repeat("x", 10), document.RunCmd.Select(c => c.FileName));
    }

    [Theory]
    [InlineData("? [*l9]\n: x\n", "line 12, column 3: a collection cannot be a mapping key")]
    [InlineData("? *l9\n: x\n", "line 12, column 3: an alias cannot be a mapping key")]
    [InlineData("flow: {[a]: x}\n", "line 12, column 8: a collection cannot be a mapping key")]
    [InlineData("loop: &x [*x]\n", "line 12, column 11: the alias *x is inside the node it refers to")]
    [InlineData("loop: &x {a: [b, *x]}\n", "line 12, column 18: the alias *x is inside the node it refers to")]
    public void KeysThatHashAWholeTree_AndSelfContainingAliases_AreRefused(string tail, string expected)
    {
        // YamlDotNet hashes a collection key over its content (aliases followed) and links a self-alias into a cycle.
        var e = Assert.Throws<BootstrapParseException>(() => CloudConfigParser.Parse("#cloud-config\n" + Laughs(9) + tail));

        Assert.Equal("cloud-config: invalid YAML at " + expected, e.Message);
    }

    [Fact]
    public void AnAliasToARedefinedAnchor_RefersToTheLatestDefinition()
    {
        var document = CloudConfigParser.Parse("#cloud-config\nouter: &x [&x [echo], *x]\nruncmd: *x\n");

        Assert.Equal(["-c", "echo"], document.RunCmd.Single().Arguments);
    }

    [Fact]
    public void TextLongerThanTheBound_IsRefusedBeforeParsing()
    {
        var text = "#cloud-config\n#" + new string('x', UntrustedYamlReader.MaxChars);

        var e = Assert.Throws<BootstrapParseException>(() => CloudConfigParser.Parse(text));

        Assert.Contains($"longer than {UntrustedYamlReader.MaxChars} characters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomMutationsOfAValidDocument_ParseOrFailWithAPosition()
    {
        var random = new Random(4);
        var failures = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Mutate(Seed, random, random.Next(1, 6));
            try
            {
                CloudConfigParser.Parse(text);
            }
            catch (BootstrapParseException e) when (e.Message.Contains("invalid YAML", StringComparison.Ordinal))
            {
                var position = System.Text.RegularExpressions.Regex.Match(e.Message, @"at line (\d+), column (\d+): .");
                Assert.True(position.Success, e.Message);
                Assert.InRange(int.Parse(position.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, text.Count(c => c == '\n') + 2);
                Assert.InRange(int.Parse(position.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 1, text.Length + 1);
                failures++;
            }
            catch (BootstrapParseException)
            {
                // Valid YAML that is not a valid cloud-config (a mutated path, a module of the wrong shape).
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"mutation {i} threw {e.GetType().Name}: {e.Message}\n{text}");
            }
        }

        // Most mutations break the document; if none did, the mutations would not be testing anything.
        Assert.InRange(failures, 2_000, 19_999);
    }

    [Fact]
    public void Truncations_ParseOrFailWithAReason()
    {
        for (var length = "#cloud-config".Length; length <= Seed.Length; length++)
        {
            try
            {
                CloudConfigParser.Parse(Seed[..length]);
            }
            catch (BootstrapParseException e)
            {
                Assert.StartsWith("cloud-config: ", e.Message, StringComparison.Ordinal);
            }
        }
    }

    private static string Laughs(int levels) =>
        "l0: &l0 [x]\n" + string.Concat(Enumerable.Range(1, levels).Select(i => $"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n"));

    private static string Mutate(string text, Random random, int count)
    {
        var chars = new List<char>(text);
        for (var i = 0; i < count && chars.Count > 0; i++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 1:
                    chars.RemoveAt(at);
                    break;
                case 2:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    chars.InsertRange(at, new string(' ', random.Next(1, 4)));
                    break;
            }
        }

        return new string([.. chars]);
    }
}
