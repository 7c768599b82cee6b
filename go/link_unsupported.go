//go:build cgo && !apisign_system && !(linux && (amd64 || arm64))

package apisign

// No library is bundled for this GOOS/GOARCH: stop with the fix instead of a linker error
// (type declarations are checked first, so this error comes first). The header is still
// found so that cgo gets as far as type checking.

// #cgo CFLAGS: -I${SRCDIR}/include
import "C"

type _ apisign_bundles_its_library_for_linux_amd64_and_arm64_only__install_it_with_cargo_cinstall_and_build_with_tags_apisign_system
