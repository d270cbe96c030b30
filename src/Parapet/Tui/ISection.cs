namespace Parapet.Tui;

/// <summary>One screen of the main window: the menu, Properties, Clients or Users.</summary>
internal interface ISection
{
    /// <summary>Where the screen sits in Janssen's navigation, e.g. "Auth Server › Properties".</summary>
    string Breadcrumb { get; }

    /// <summary>The keys of this screen, for the status line.</summary>
    string Hints { get; }

    /// <summary>Called when the screen is shown: read what it lists and take the focus.</summary>
    void Enter();
}
