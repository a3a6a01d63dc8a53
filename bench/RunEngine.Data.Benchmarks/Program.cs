using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/RunEngine.Data.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(RunEngine.Data.Benchmarks.RowPipelineBenchmarks).Assembly).Run(args);
