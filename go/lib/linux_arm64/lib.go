// Package linux_arm64 holds the static C library the apisign package links on linux/arm64.
// It has no Go code; being a package lets `go mod vendor` copy the library.
package linux_arm64
