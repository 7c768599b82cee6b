module apisign

go 1.24
