namespace Parapet.Protocol.Errors;

/// <summary>A value or the reason it could not be produced.</summary>
public readonly record struct Checked<T>
{
    public T? Value { get; }
    public OAuthError? Error { get; }

    private Checked(T? value, OAuthError? error)
    {
        Value = value;
        Error = error;
    }

    public bool Failed => Error is not null;

    public static implicit operator Checked<T>(T value) => new(value, null);
    public static implicit operator Checked<T>(OAuthError error) => new(default, error);
}
