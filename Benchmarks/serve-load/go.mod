module flamegate/benchmarks/serve-load

go 1.19
