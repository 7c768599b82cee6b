package apisign

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

// The bundled libraries (lib/) are the crate's version: the manifest written with them names
// the version of Cargo.toml and the checksum of each library as committed. The amd64 library's
// own answer is checked by TestVersionMatchesCargoToml when built without -tags apisign_system.
func TestBundledLibrariesMatchTheCrate(t *testing.T) {
	cargo := mustRead(t, "../Cargo.toml")
	crate := regexp.MustCompile(`(?m)^version = "([^"]+)"`).FindSubmatch(cargo)
	manifest := mustRead(t, "lib/manifest.txt")
	got := regexp.MustCompile(`(?m)^version (\S+)$`).FindSubmatch(manifest)
	if crate == nil || got == nil || string(got[1]) != string(crate[1]) {
		t.Fatalf("bundled libraries are version %q, the crate %q: run scripts/build-go-libs.sh", got, crate)
	}
	sums := regexp.MustCompile(`(?m)^([0-9a-f]{64})  (\S+)$`).FindAllSubmatch(manifest, -1)
	want := map[string]bool{"linux_amd64/libapisign.a": true, "linux_arm64/libapisign.a": true}
	for _, s := range sums {
		path := string(s[2])
		if !want[path] {
			t.Errorf("manifest lists %s, which is not bundled", path)
			continue
		}
		delete(want, path)
		lib := mustRead(t, "lib/"+path)
		sum := sha256.Sum256(lib)
		if hex.EncodeToString(sum[:]) != string(s[1]) {
			t.Errorf("lib/%s differs from the one scripts/build-go-libs.sh built with the manifest", path)
		}
	}
	for path := range want {
		t.Errorf("manifest lacks lib/%s", path)
	}
	if !strings.Contains(string(manifest), "rustc ") {
		t.Error("manifest does not say which rustc built the libraries")
	}
}
