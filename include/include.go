// Package include holds apisign.h, the C header the Go package compiles against. It has no Go
// code; being a package lets `go mod vendor` copy the header.
package include
