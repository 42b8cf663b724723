module mapchurn

go 1.19
