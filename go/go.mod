module apisign

go 1.22
