using System.Text.Json.Serialization;

namespace Parapet.Protocol.Requests;

/// <summary>
/// Source-generated JSON for the stored authorization request: it is written on every push and read on every claim. Absent
/// parameters are left out rather than written as <c>null</c>: a typical push leaves nine of the seventeen unset, and their
/// ~140 bytes were a third of each stored row, written twice (log and database) on the hot path. Rows stored with the nulls
/// still read the same.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthorizationRequest))]
public sealed partial class RequestJson : JsonSerializerContext;
