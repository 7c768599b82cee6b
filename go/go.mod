// The module is the go/ folder, so a module zip holds only the Go package, its copy of the C
// header (include/, written by scripts/gen-header.sh) and the bundled libraries (lib/).
// Released with tags go/vX.Y.Z (a nested module's tags carry its folder).
module github.com/apisign/apisign/go

go 1.24
