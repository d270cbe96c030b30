using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Parapet.Protocol;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Users;

namespace Parapet.Http.Admin;

/// <summary><c>/admin/v1/users</c>: end users, with passwords hashed by ASP.NET Core Identity's <c>PasswordHasher</c>. Hashes never leave the server.</summary>
internal static class UserEndpoints
{
    public const int MinimumPasswordLength = 8;

    internal sealed record UserInput(
        [property: JsonPropertyName("username")] string? Username,
        [property: JsonPropertyName("password")] string? Password,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("email")] string? Email,
        [property: JsonPropertyName("disabled")] bool? Disabled);

    public static void MapUsers(this RouteGroupBuilder admin)
    {
        admin.MapGet("/users", async (IUserStore users, CancellationToken ct) => Results.Json((await users.ListAsync(ct)).Select(View)));
        admin.MapGet("/users/{username}", async (string username, IUserStore users, CancellationToken ct) =>
            await users.FindByUsernameAsync(username, ct) is { } u ? Results.Json(View(u)) : NotFound(username));
        admin.MapPost("/users", CreateAsync);
        admin.MapPut("/users/{username}", UpdateAsync);
        admin.MapPut("/users/{username}/password", SetPasswordAsync);
        admin.MapDelete("/users/{username}", async (string username, HttpContext http, IUserStore users, AdminAudit audit) =>
        {
            if (!await users.DeleteAsync(username, http.RequestAborted))
            {
                return NotFound(username);
            }
            await audit.RecordAsync(http, "user.delete", username, null, null);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IUserStore users, IPasswordHasher<User> hasher, TimeProvider time, AdminAudit audit)
    {
        var input = await ReadAsync(http);
        if (input?.Username is not { Length: > 0 and <= 256 } username || username.Any(char.IsWhiteSpace))
        {
            return AdminProblems.BadRequest("'username' is required: 1 to 256 characters without spaces.");
        }
        if (PasswordProblem(input.Password) is { } problem)
        {
            return AdminProblems.BadRequest(problem);
        }
        var user = new User { Id = Hashing.NewHandle()[..22], Username = username, PasswordHash = "", Name = input.Name, Email = input.Email, CreatedAt = time.GetUtcNow() };
        user = user with { PasswordHash = hasher.HashPassword(user, input.Password!) };
        if (!await users.AddAsync(user, http.RequestAborted))
        {
            return AdminProblems.Conflict($"A user named '{username}' already exists.");
        }
        await audit.RecordAsync(http, "user.create", username, null, JsonSerializer.SerializeToNode(View(user)));
        return Results.Json(View(user), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(string username, HttpContext http, IUserStore users, AdminAudit audit)
    {
        var user = await users.FindByUsernameAsync(username, http.RequestAborted);
        if (user is null)
        {
            return NotFound(username);
        }
        var input = await ReadAsync(http);
        if (input is null)
        {
            return AdminProblems.BadRequest("The body must be a JSON object.");
        }
        var before = JsonSerializer.SerializeToNode(View(user));
        user = user with { Name = input.Name ?? user.Name, Email = input.Email ?? user.Email, Disabled = input.Disabled ?? user.Disabled };
        await users.UpdateAsync(user, http.RequestAborted);
        await audit.RecordAsync(http, "user.update", username, before, JsonSerializer.SerializeToNode(View(user)));
        return Results.Json(View(user));
    }

    private static async Task<IResult> SetPasswordAsync(string username, HttpContext http, IUserStore users, IPasswordHasher<User> hasher, AdminAudit audit)
    {
        var user = await users.FindByUsernameAsync(username, http.RequestAborted);
        if (user is null)
        {
            return NotFound(username);
        }
        var input = await ReadAsync(http);
        if (PasswordProblem(input?.Password) is { } problem)
        {
            return AdminProblems.BadRequest(problem);
        }
        await users.UpdateAsync(user with { PasswordHash = hasher.HashPassword(user, input!.Password!) }, http.RequestAborted);
        await audit.RecordAsync(http, "user.set-password", username, null, new System.Text.Json.Nodes.JsonObject { ["password"] = "changed" });
        return Results.NoContent();
    }

    private static string? PasswordProblem(string? password) =>
        password is null || password.Length < MinimumPasswordLength || password.Length > 1024
            ? $"'password' is required: {MinimumPasswordLength} to 1024 characters."
            : null;

    private static async Task<UserInput?> ReadAsync(HttpContext http)
    {
        try
        {
            return await http.Request.ReadFromJsonAsync<UserInput>(http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static object View(User u) => new { id = u.Id, username = u.Username, name = u.Name, email = u.Email, disabled = u.Disabled, created_at = u.CreatedAt };

    private static IResult NotFound(string username) => AdminProblems.NotFound($"No user '{username}'.");
}
