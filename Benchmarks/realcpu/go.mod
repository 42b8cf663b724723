module flamegate.bench/realcpu

go 1.22
