// Package include holds apisign.h, the C header the Go package compiles against: a copy of the
// repository's include/apisign.h inside the module (a module zip holds only go/), written by
// scripts/gen-header.sh and checked by capi/tests/header.rs. It has no Go code; being a
// package lets `go mod vendor` copy the header.
package include
