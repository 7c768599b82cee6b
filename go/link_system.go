//go:build cgo && apisign_system

package apisign

// With -tags apisign_system the package links the C library installed on the machine
// (`cargo cinstall`, or scripts/build-c.sh with PKG_CONFIG_PATH), found through pkg-config.

/*
#cgo pkg-config: apisign
*/
import "C"
