// Package linux_amd64 holds the static C library the apisign package links on linux/amd64.
// It has no Go code; being a package lets `go mod vendor` copy the library.
package linux_amd64
