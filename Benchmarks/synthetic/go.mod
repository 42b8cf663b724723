module flamegate.bench/synthetic

go 1.22
