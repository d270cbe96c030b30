using System.Text.Json.Serialization;

namespace Parapet.Protocol.Requests;

/// <summary>Source-generated JSON for the stored authorization request: it is written on every push and read on every claim.</summary>
[JsonSerializable(typeof(AuthorizationRequest))]
public sealed partial class RequestJson : JsonSerializerContext;
