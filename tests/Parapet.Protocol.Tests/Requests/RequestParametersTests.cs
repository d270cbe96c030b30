using Parapet.Protocol.Errors;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Tests.Requests;

public sealed class RequestParametersTests
{
    private static Checked<RequestParameters> From(params (string Name, string?[] Values)[] pairs) =>
        RequestParameters.From(pairs.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Name, p.Values)));

    [Theory]
    [InlineData("scope")]
    [InlineData("client_id")]
    [InlineData("request_uri")]
    public void A_repeated_parameter_is_invalid_request_naming_it(string name)
    {
        var result = From(("response_type", ["code"]), (name, ["a", "b"]));

        Assert.Equal(OAuthErrors.InvalidRequest, result.Error!.Code);
        Assert.Equal($"The parameter '{name}' was sent more than once.", result.Error.Description);
    }

    [Fact]
    public void A_repeated_parameter_with_equal_values_is_still_refused()
    {
        var result = From(("scope", ["openid", "openid"]));

        Assert.Equal(OAuthErrors.DuplicateParameter("scope"), result.Error);
    }

    [Fact]
    public void A_name_given_twice_as_separate_pairs_is_refused_not_overwritten()
    {
        var result = From(("state", ["first"]), ("state", ["second"]));

        Assert.Equal(OAuthErrors.DuplicateParameter("state"), result.Error);
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        var result = From(("state", ["a"]), ("State", ["b"]));

        Assert.Equal("a", result.Value!["state"]);
        Assert.Equal("b", result.Value["State"]);
    }

    [Fact]
    public void A_value_at_the_length_limit_passes_and_one_longer_is_refused()
    {
        var atLimit = From(("state", [new string('x', RequestParameters.MaxValueLength)]));
        var over = From(("state", [new string('x', RequestParameters.MaxValueLength + 1)]));

        Assert.False(atLimit.Failed);
        Assert.Equal(OAuthErrors.ParameterTooLong("state", 8192), over.Error);
    }

    [Fact]
    public void A_hundred_parameters_pass_and_a_hundred_and_one_are_refused()
    {
        var hundred = From(Enumerable.Range(0, RequestParameters.MaxCount).Select(i => ($"p{i}", new string?[] { "v" })).ToArray());
        var more = From(Enumerable.Range(0, RequestParameters.MaxCount + 1).Select(i => ($"p{i}", new string?[] { "v" })).ToArray());

        Assert.Equal(100, hundred.Value!.All.Count);
        Assert.Equal(OAuthErrors.TooManyParameters(100), more.Error);
    }

    [Fact]
    public void An_empty_value_counts_as_absent()
    {
        var result = From(("state", [""]), ("nonce", [null]), ("scope", []), ("prompt", ["login"])).Value!;

        Assert.Null(result["state"]);
        Assert.False(result.Has("state"));
        Assert.Null(result["nonce"]);
        Assert.Null(result["scope"]);
        Assert.Null(result["missing"]);
        Assert.Equal("login", result["prompt"]);
        Assert.True(result.Has("prompt"));
    }
}
