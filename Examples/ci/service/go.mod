module flamegate.example/ci-service

go 1.21
