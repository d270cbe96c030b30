using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Tests;

/// <summary>Builds request parameters the way the HTTP layer does: one list of values per name.</summary>
internal static class Params
{
    public static RequestParameters Of(IEnumerable<(string Name, string Value)> pairs)
    {
        var parsed = RequestParameters.From(pairs.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Name, [p.Value])));
        Assert.False(parsed.Failed, parsed.Error?.Description);
        return parsed.Value!;
    }

    public static RequestParameters Of(params (string Name, string Value)[] pairs) => Of(pairs.AsEnumerable());

    /// <summary>"name=value&amp;name2=value2" (no decoding; the tables keep values plain), or "" for none.</summary>
    public static IEnumerable<(string, string)> Parse(string pairs) =>
        pairs.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : ""));
}
