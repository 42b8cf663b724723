module flamegate.example/wordcount

go 1.19
