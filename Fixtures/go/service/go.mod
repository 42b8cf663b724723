module flamegate.example/service

go 1.19
