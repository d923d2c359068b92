using ImmutableInfra.Dashboard.Fleet;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>
/// A rendered page: its title, the kinds whose changes refresh it, controls kept across refreshes (filter forms),
/// and the live part the browser swaps when the fleet changes. <see cref="Status"/> is 200 unless it says otherwise.
/// </summary>
internal sealed record PageContent(string Title, string Section, FleetKinds Kinds, string Controls, string Live, int Status = 200);
