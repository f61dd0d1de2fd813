// Reference side of test/seclang/libinjection.test.ts: libinjection-go's verdicts for a batch of inputs.
// stdin: inputs, each a little-endian uint32 length then the bytes. stdout: one line per input,
// "<sqli> <xss>": the fingerprint or "-" (not SQLi) or "!" (the Go code panicked), then 1/0 or "!".
// With -bench N: instead, the total nanoseconds for N rounds of IsSQLi and of IsXSS over all inputs.
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/corazawaf/libinjection-go"
)

func sqli(in string) (out string) {
	defer func() {
		if recover() != nil {
			out = "!"
		}
	}()
	ok, fp := libinjection.IsSQLi(in)
	if !ok {
		return "-"
	}
	return fp
}

func xss(in string) (out string) {
	defer func() {
		if recover() != nil {
			out = "!"
		}
	}()
	if libinjection.IsXSS(in) {
		return "1"
	}
	return "0"
}

func readInputs(r io.Reader) ([]string, error) {
	br := bufio.NewReader(r)
	var inputs []string
	var n [4]byte
	for {
		if _, err := io.ReadFull(br, n[:]); err == io.EOF {
			return inputs, nil
		} else if err != nil {
			return nil, err
		}
		buf := make([]byte, binary.LittleEndian.Uint32(n[:]))
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, err
		}
		inputs = append(inputs, string(buf))
	}
}

func main() {
	rounds := flag.Int("bench", 0, "time this many rounds instead of printing verdicts")
	flag.Parse()
	inputs, err := readInputs(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reading inputs:", err)
		os.Exit(2)
	}
	if *rounds > 0 {
		hits := 0
		start := time.Now()
		for r := 0; r < *rounds; r++ {
			for _, in := range inputs {
				if ok, _ := libinjection.IsSQLi(in); ok {
					hits++
				}
			}
		}
		sqliNs := time.Since(start).Nanoseconds()
		start = time.Now()
		for r := 0; r < *rounds; r++ {
			for _, in := range inputs {
				if libinjection.IsXSS(in) {
					hits++
				}
			}
		}
		fmt.Printf("%d %d %d\n", sqliNs, time.Since(start).Nanoseconds(), hits)
		return
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, in := range inputs {
		fmt.Fprintf(w, "%s %s\n", sqli(in), xss(in))
	}
}
