using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Cli.Profiles;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge profiles list|use|delete`: the servers this user has logged in to.</summary>
internal static class ProfilesCommand
{
    private static readonly TableView Table = new(("NAME", "name"), ("URL", "url"), ("KEY", "key"), ("DEFAULT", "default"));

    public static Command Create()
    {
        var list = new Command("list", "Lists the profiles: name, URL, the start of the key (never the key), and which is the default.");
        list.Action((context, _, _) =>
        {
            var file = context.Profiles.Load();
            var views = file.Profiles.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new ProfileView(p.Key, p.Value.Url, ServerProfile.KeyHint(p.Value.ApiKey), p.Key == (file.Default ?? ProfileStore.DefaultName))).ToList();
            context.Output.Result(new ItemList<ProfileView>(views), CliJsonContext.Default.ItemListProfileView, Table);
            if (views.Count == 0)
            {
                context.Output.Note($"No profiles yet in {context.Profiles.Path}: run `adobridge login`.");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        list.WithExamples("adobridge profiles list", "adobridge profiles list -o json");

        var nameArgument = new Argument<string>("name") { Description = "The profile's name." };
        var use = new Command("use", "Makes a profile the default for commands without --profile.") { nameArgument };
        use.Action((context, parse, _) =>
        {
            var name = parse.GetValue(nameArgument)!;
            var file = Existing(context, name);
            file.Default = name;
            context.Profiles.Save(file);
            context.Output.Success($"Profile '{name}' is now the default.");
            return Task.FromResult(ExitCodes.Ok);
        });
        use.WithExamples("adobridge profiles use prod");

        var delete = new Command("delete", "Forgets a profile and its key (revoke the key on the server with `adobridge keys revoke`).") { nameArgument };
        delete.Action((context, parse, _) =>
        {
            var name = parse.GetValue(nameArgument)!;
            var file = Existing(context, name);
            file.Profiles.Remove(name);
            if (file.Default == name)
            {
                file.Default = file.Profiles.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
            }

            context.Profiles.Save(file);
            context.Output.Success($"Profile '{name}' deleted.");
            return Task.FromResult(ExitCodes.Ok);
        });
        delete.WithExamples("adobridge profiles delete staging");

        return new Command("profiles", "The AdoBridge servers you have logged in to, kept in a file only you can read.") { list, use, delete }
            .WithExamples("adobridge profiles list", "adobridge --profile prod connections list");
    }

    private static ProfileFile Existing(CliContext context, string name)
    {
        var file = context.Profiles.Load();
        return file.Profiles.ContainsKey(name)
            ? file
            : throw new CliException(ExitCodes.NotFound, "profile_not_found", $"There is no profile '{name}' in {context.Profiles.Path}.", "See `adobridge profiles list`.");
    }
}

/// <summary>A profile as listed: never its key, only the key's start.</summary>
internal sealed record ProfileView(string Name, string Url, string Key, bool Default);
