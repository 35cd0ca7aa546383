return await AdoBridge.Operations.AdoBridgeApp.RunAsync(args);
