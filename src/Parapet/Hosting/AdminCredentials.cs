using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parapet.Hosting;

/// <summary>
/// The admin client's credentials, written at first start to <c>admin-credentials.json</c> in the data directory (mode 0600).
/// The CLI reads it to find the server and authenticate; it records the server URL for that reason.
/// </summary>
public sealed record AdminCredentials(
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret)
{
    public const string FileName = "admin-credentials.json";
    public const string ClientIdValue = "parapet-admin";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    public static AdminCredentials? Read(string dataDir)
    {
        var path = PathIn(dataDir);
        return File.Exists(path) ? JsonSerializer.Deserialize<AdminCredentials>(File.ReadAllText(path)) : null;
    }

    public void Write(string dataDir) =>
        PrivateFile.Write(PathIn(dataDir), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
}
