package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// Lovrabet generates Lovrabet tokens for one access key. Safe for concurrent use; Close (or
// garbage collection) frees it and wipes its keys.
type Lovrabet struct {
	h *C.apisign_lovrabet
}

// NewLovrabet makes a token generator. secretKey nil means the documented default secret key
// "lovrabet".
func NewLovrabet(accessKey string, secretKey []byte) (*Lovrabet, error) {
	var h *C.apisign_lovrabet
	var e *C.apisign_error
	ak, akl := str(accessKey)
	sk, skl := presentBytes(secretKey)
	if err := fromC(C.apisign_lovrabet_new(ak, akl, sk, skl, &h, &e), e); err != nil {
		return nil, err
	}
	l := &Lovrabet{h: h}
	runtime.SetFinalizer(l, (*Lovrabet).Close)
	return l, nil
}

// Close frees the generator. It must not run concurrently with other calls on l.
func (l *Lovrabet) Close() {
	if l.h != nil {
		C.apisign_lovrabet_free(l.h)
		l.h = nil
	}
}

// Token signs a token for appCode/datasetCode at time at: headers X-App-Code, X-Dataset-Code,
// X-Time-Stamp, X-Token. It is valid for 10 minutes (LovrabetLifetime).
func (l *Lovrabet) Token(appCode, datasetCode string, at time.Time) (*Signature, error) {
	if l.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	a, al := str(appCode)
	d, dl := str(datasetCode)
	out := newOutBuf(2 * (len(appCode) + len(datasetCode)))
	rc := C.go_lovrabet_token(l.h, a, al, d, dl, ts, &out.sig, &out.err, out.ptr(), out.len(), &out.sizes[0])
	runtime.KeepAlive(l)
	return out.result(rc)
}

// Dataset is one entry of a batch: a unique Name keying the result and its dataset Code.
type Dataset struct {
	Name, Code string
}

// NamedToken is one token of a batch.
type NamedToken struct {
	Name  string
	Token *Signature
}

// Batch signs one token per dataset, all at the same time, in the given order.
func (l *Lovrabet) Batch(appCode string, datasets []Dataset, at time.Time) ([]NamedToken, error) {
	if l.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	// The C array holds pointers to the strings, so it lives in C memory (cgo rules).
	n := len(datasets)
	var cds *C.apisign_dataset
	if n > 0 {
		cds = (*C.apisign_dataset)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.apisign_dataset{}))))
		defer C.free(unsafe.Pointer(cds))
	}
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	list := unsafe.Slice(cds, n)
	for i, d := range datasets {
		list[i].name, list[i].name_len = pin(pinner, d.Name)
		list[i].code, list[i].code_len = pin(pinner, d.Code)
	}
	var b *C.apisign_lovrabet_batch
	var e *C.apisign_error
	a, al := str(appCode)
	rc := C.apisign_lovrabet_batch_new(l.h, a, al, cds, C.size_t(n), ts, &b, &e)
	runtime.KeepAlive(l)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_lovrabet_batch_free(b)
	out := make([]NamedToken, n)
	for i := range out {
		tok, err := copyOut(C.apisign_lovrabet_batch_get(b, C.size_t(i)))
		if err != nil {
			return nil, err
		}
		out[i] = NamedToken{Name: datasets[i].Name, Token: tok}
	}
	return out, nil
}

// pin passes a Go string that C keeps in a struct for the duration of a call.
func pin(p *runtime.Pinner, s string) (*C.uint8_t, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	ptr := unsafe.StringData(s)
	p.Pin(ptr)
	return (*C.uint8_t)(unsafe.Pointer(ptr)), C.size_t(len(s))
}
