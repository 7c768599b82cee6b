//go:build !cgo

package apisign

// Every call goes through the C library, so a build without cgo should stop with the fix rather
// than only with "undefined" errors from the files that need cgo. Type declarations are checked
// before the others, so this error comes first.
type _ apisign_requires_cgo__build_with_CGO_ENABLED_1_and_a_C_compiler_such_as_gcc
