// The module is the go/ folder, so a module zip holds only the Go package, the C header
// (include/, which the repository's include/ links to) and the bundled libraries (lib/).
// Released with tags go/vX.Y.Z (a nested module's tags carry its folder).
module github.com/apisign/apisign/go

go 1.24
