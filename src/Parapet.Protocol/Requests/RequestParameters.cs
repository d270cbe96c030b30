using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Requests;

/// <summary>
/// The parameters of one protocol request, each at most once (RFC 6749 §3.1: parameters must not be repeated).
/// </summary>
public sealed class RequestParameters
{
    public const int MaxCount = 100;
    public const int MaxValueLength = 8192;

    private readonly Dictionary<string, string> _values;

    private RequestParameters(Dictionary<string, string> values) => _values = values;

    public static RequestParameters Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Builds the set, refusing repeats, too many parameters and over-long values.</summary>
    public static Checked<RequestParameters> From(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> pairs) =>
        From<IReadOnlyList<string?>>(pairs);

    /// <summary>
    /// The same, generic over the values' type so that a framework's struct of values (a form's <c>StringValues</c>) is read
    /// as it is, without a copy or a box per parameter: this runs on every request.
    /// </summary>
    public static Checked<RequestParameters> From<TValues>(IEnumerable<KeyValuePair<string, TValues>> pairs)
        where TValues : IReadOnlyList<string?>
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, list) in pairs)
        {
            // A name may also arrive as two separate pairs (e.g. a caller merging sources): that is a repeat too, not an overwrite.
            if (list.Count > 1 || values.ContainsKey(name))
            {
                return OAuthErrors.DuplicateParameter(name);
            }
            var value = list.Count == 1 ? list[0] ?? "" : "";
            if (value.Length > MaxValueLength)
            {
                return OAuthErrors.ParameterTooLong(name, MaxValueLength);
            }
            if (values.Count == MaxCount)
            {
                return OAuthErrors.TooManyParameters(MaxCount);
            }
            values[name] = value;
        }
        return new RequestParameters(values);
    }

    /// <summary>The value, or null when absent; an empty value counts as absent (RFC 6749 §3.1).</summary>
    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public bool Has(string name) => this[name] is not null;

    public IReadOnlyDictionary<string, string> All => _values;
}
