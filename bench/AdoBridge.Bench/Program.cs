using AdoBridge.Bench;

// Load tools for BENCHMARKS.md. Each command prints its figures; BENCHMARKS.md says how they were run.
try
{
    return await RunAsync(args);
}
catch (MissingToolException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static async Task<int> RunAsync(string[] args) => args.FirstOrDefault() switch
{
    "emulator" => await EmulatorCommand.RunAsync(args[1..]),
    "refresh" => await RefreshBench.RunAsync(args[1..]),
    "forwarder" => await ForwarderCommand.RunAsync(args[1..]),
    "proxy" => await ProxyBench.RunAsync(args[1..]),
    "ingest" => await IngestBench.RunAsync(args[1..]),
    "bare-ingest" => await BareIngestCommand.RunAsync(args[1..]),
    "latency" => await DeliveryLatencyBench.RunAsync(args[1..]),
    "memory" => await MemoryBench.RunAsync(args[1..]),
    "normalize" => NormalizerBench.Run(args[1..]),
    "mcp" => await McpBench.RunAsync(args[1..]),
    "pace" => await Pacer.RunCommandAsync(args[1..]),
    "cli-help" => await CliHelpBench.RunAsync(args[1..]),
    "listen" => await ListenLatencyBench.RunAsync(args[1..]),
    "console" => await ConsoleBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AdoBridge.Bench emulator --port N --admin-token T | refresh [--connections 100000] [--postgres CONNSTR] [--schedule] | proxy [--seconds 10] [--rate 1000] [--round 2] [--download-mib 200] [--env NAME=VALUE] [--telemetry [--telemetry-sample 0.1]] | pace --url URL [--authorization VALUE] [--rate 1000] [--seconds 10] [--connections 32] | ingest [--seconds 10] [--rounds 4] [--warmup 5] [--connections 64] [--postgres CONNSTR] [--env NAME=VALUE] [--telemetry] | latency [--rate 500] [--seconds 20] [--warmup 5] [--postgres CONNSTR] [--env NAME=VALUE] | memory [--requests 200] [--bytes 2093056] [--idle-seconds 60] [--postgres CONNSTR] [--env NAME=VALUE] | normalize [--rounds 20] [--iterations 2000] | mcp [--rate 200] [--seconds 10] [--clients 100] [--calls 20] [--env NAME=VALUE] | cli-help [--runs 20] [--warmup 2] | listen [--rate 100] [--round 5] [--rounds 6] [--env NAME=VALUE] | console [--connections 100000] [--events 1000000] [--attempts 2000000] [--samples 40] [--replay 100000] [--rate 100] [--idle-seconds 20] [--postgres CONNSTR] [--env NAME=VALUE] | forwarder [--yarp] --port N --upstream URL --authorization VALUE | bare-ingest --port N --secret S (--sqlite FILE | --postgres CONNSTR)");
    return 2;
}
