return await AdoBridge.Cli.CliApp.RunAsync(args);
