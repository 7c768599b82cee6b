//go:build apisign_vendor_dirs

package apisign

// Never built: `go mod vendor` copies only directories holding imported packages, and it reads
// imports under every build tag, so these imports make it copy the header and the libraries
// (as wasmtime-go's includebuild.go does).
import (
	_ "github.com/apisign/apisign/go/include"
	_ "github.com/apisign/apisign/go/lib/linux_amd64"
	_ "github.com/apisign/apisign/go/lib/linux_arm64"
)
