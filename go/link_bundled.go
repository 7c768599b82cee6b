//go:build cgo && !apisign_system && linux && (amd64 || arm64)

package apisign

// The module ships the stripped static library for each supported GOOS/GOARCH in lib/ (rebuilt
// by scripts/build-go-libs.sh when the version changes), so building needs no Rust toolchain.
// The system libraries are what a Rust staticlib needs on Linux (`--print native-static-libs`).

/*
#cgo CFLAGS: -I${SRCDIR}/include
#cgo linux,amd64 LDFLAGS: ${SRCDIR}/lib/linux_amd64/libapisign.a
#cgo linux,arm64 LDFLAGS: ${SRCDIR}/lib/linux_arm64/libapisign.a
#cgo LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl
*/
import "C"
