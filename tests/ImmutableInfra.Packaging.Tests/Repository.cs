namespace ImmutableInfra.Packaging.Tests;

/// <summary>Paths in the repository under test (found from the test assembly's location).</summary>
internal static class Repository
{
    public static readonly string Root = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ImmutableInfra.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ImmutableInfra.sln not found above " + AppContext.BaseDirectory);
    }
}
