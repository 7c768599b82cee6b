package apisign

import (
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every result code of the C header has exactly one Go sentinel with the same number and
// name, so errors.Is works for every kind (the header is generated from the core's one list).
func TestEveryCodeHasASentinel(t *testing.T) {
	header := mustRead(t, "include/apisign.h")
	defines := regexp.MustCompile(`(?m)^#define APISIGN_([A-Z0-9_]+) ([0-9]+)$`).FindAllStringSubmatch(string(header), -1)
	want := map[Code]string{}
	for _, d := range defines {
		n, _ := strconv.Atoi(d[2])
		// Result codes are 1000 and up; smaller defines are versions and enum values.
		if n < 1000 {
			continue
		}
		want[Code(n)] = strings.ToLower(d[1])
	}
	if len(want) < 25 {
		t.Fatalf("read only %d codes from the header", len(want))
	}
	got := map[Code]bool{}
	for _, s := range sentinels {
		if got[s.Code] {
			t.Errorf("code %d has two sentinels", s.Code)
		}
		got[s.Code] = true
		name, ok := want[s.Code]
		if !ok {
			t.Errorf("sentinel %q has code %d, which the header lacks", s.Message, s.Code)
			continue
		}
		if s.Code.Name() != name {
			t.Errorf("code %d: Name() %q, header %q", s.Code, s.Code.Name(), name)
		}
		if !errors.Is(&Error{Code: s.Code, Message: "x"}, s) {
			t.Errorf("errors.Is fails for %s", name)
		}
	}
	for code, name := range want {
		if !got[code] {
			t.Errorf("no Go sentinel for APISIGN_%s (%d)", strings.ToUpper(name), code)
		}
	}
}

// mustRead returns the file at path (relative to go/), failing the test when it cannot.
func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
