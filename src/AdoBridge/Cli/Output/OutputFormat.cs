namespace AdoBridge.Cli.Output;

/// <summary>How results are printed: tables for people, JSON or YAML for programs.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
