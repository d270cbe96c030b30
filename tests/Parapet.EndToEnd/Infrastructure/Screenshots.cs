using Microsoft.Playwright;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// Screenshots of the end-user pages for a person to look at, only when <c>PARAPET_E2E_SCREENSHOTS</c> names a directory
/// (e.g. <c>PARAPET_E2E_SCREENSHOTS=/tmp/shots dotnet test …</c>). Tests never compare pixels.
/// </summary>
public static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("PARAPET_E2E_SCREENSHOTS");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }
}
