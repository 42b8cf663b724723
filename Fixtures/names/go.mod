module flamegate.example/names

go 1.19
