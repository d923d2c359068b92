namespace ImmutableInfra.Yaml.Tests;

/// <summary>
/// Broken YAML must end in a YamlSyntaxException that names where, never another exception or a hang: bootstrap
/// data and configuration come from outside the agent.
/// </summary>
public sealed class MalformedInputTests
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
    public void RandomMutationsOfAValidDocument_ParseOrFailWithAPosition()
    {
        var random = new Random(4);
        var failures = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Mutate(Seed, random, random.Next(1, 6));
            try
            {
                YamlReader.ReadDocuments(text);
            }
            catch (YamlSyntaxException e)
            {
                Assert.InRange(e.Line, 1, text.Count(c => c == '\n') + 2);
                Assert.True(e.Column >= 1, $"column {e.Column} in: {e.Message}");
                failures++;
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
    public void Truncations_ParseOrFailWithAPosition()
    {
        for (var length = 0; length <= Seed.Length; length++)
        {
            try
            {
                YamlReader.ReadDocuments(Seed[..length]);
            }
            catch (YamlSyntaxException)
            {
            }
        }
    }

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
