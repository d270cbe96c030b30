using Parapet.Protocol.Clients;

namespace Parapet.Protocol.Tests.Clients;

public sealed class ClientSecretsTests
{
    private const string Secret = "correct-secret-correct-secret-xx";

    [Theory]
    [InlineData(Secret, true)]
    [InlineData("correct-secret-correct-secret-xy", false)]
    [InlineData("correct-secret-correct-secret-x", false)]
    [InlineData("correct-secret-correct-secret-xxx", false)]
    [InlineData("CORRECT-SECRET-CORRECT-SECRET-XX", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Matches_only_the_exact_secret(string? presented, bool matches)
    {
        Assert.Equal(matches, ClientSecrets.Matches(ClientSecrets.Hash(Secret), presented));
    }

    [Fact]
    public void Nothing_matches_a_client_without_a_stored_hash()
    {
        Assert.False(ClientSecrets.Matches(null, Secret));
        Assert.False(ClientSecrets.Matches(null, null));
    }

    [Fact]
    public void A_stored_hash_of_another_length_does_not_match_and_does_not_throw()
    {
        // FixedTimeEquals answers false for unequal lengths rather than comparing a prefix.
        Assert.False(ClientSecrets.Matches(ClientSecrets.Hash(Secret)[..16], Secret));
        Assert.False(ClientSecrets.Matches([], Secret));
    }

    [Fact]
    public void The_stored_form_is_a_sha256_not_the_secret()
    {
        var hash = ClientSecrets.Hash(Secret);

        Assert.Equal(32, hash.Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret)), hash);
    }

    [Fact]
    public void Generated_secrets_carry_256_bits_and_are_unique()
    {
        var secrets = Enumerable.Range(0, 100).Select(_ => ClientSecrets.Generate()).ToList();

        Assert.All(secrets, s => Assert.Equal(32, Base64Url.Decode(s).Length));
        Assert.All(secrets, s => Assert.True(s.Length >= ClientSecrets.MinimumLength));
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
    }
}
