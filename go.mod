// The Go module is the repository root so the package (in go/) reaches the one committed C
// header (include/apisign.h) and ships the bundled libraries (go/lib/) inside the module.
module github.com/apisign/apisign

go 1.24
