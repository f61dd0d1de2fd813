// Reference side of test/seclang/body-differential.test.ts: runs request bodies through Coraza's
// own body processors (via a WAF with SecRequestBodyAccess On) and prints what they produced.
// Input: one JSON object per line {"proc": "json|xml|multipart|urlencoded", "ct": "...", "body": base64}.
// Output: one JSON object per line with every collection as [name, value] pairs (base64 bytes).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/corazawaf/coraza/v3"
	"github.com/corazawaf/coraza/v3/collection"
	"github.com/corazawaf/coraza/v3/experimental/plugins/plugintypes"
)

type input struct {
	Proc  string `json:"proc"`
	Ct    string `json:"ct"`
	Body  []byte `json:"body"`
	Depth int    `json:"depth"`
}

type pair [2][]byte

type output struct {
	Error       string            `json:"error"`
	Args        []pair            `json:"args"`
	Files       []pair            `json:"files"`
	FilesNames  []pair            `json:"filesNames"`
	FilesSizes  []pair            `json:"filesSizes"`
	Combined    string            `json:"combined"`
	PartHeaders []pair            `json:"partHeaders"`
	Names       []pair            `json:"names"`
	Filenames   []pair            `json:"filenames"`
	XML         []pair            `json:"xml"`
	Flags       map[string]string `json:"flags"`
}

type withVariables interface {
	Variables() plugintypes.TransactionVariables
}

func pairs(m collection.Map) []pair {
	out := []pair{}
	for _, md := range m.FindAll() {
		out = append(out, pair{[]byte(md.Key()), []byte(md.Value())})
	}
	return out
}

func main() {
	wafs := map[int]coraza.WAF{}
	wafFor := func(depth int) coraza.WAF {
		if w, ok := wafs[depth]; ok {
			return w
		}
		rules := fmt.Sprintf(`SecRuleEngine DetectionOnly
SecRequestBodyAccess On
SecRequestBodyLimit 67108864
SecRequestBodyInMemoryLimit 67108864
SecRequestBodyNoFilesLimit 67108864
SecArgumentsLimit 1000000
SecRequestBodyJsonDepthLimit %d
SecRule REQUEST_HEADERS:X-Proc "@streq json" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
SecRule REQUEST_HEADERS:X-Proc "@streq xml" "id:2,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:X-Proc "@streq multipart" "id:3,phase:1,pass,nolog,ctl:requestBodyProcessor=MULTIPART"
SecRule REQUEST_HEADERS:X-Proc "@streq urlencoded" "id:4,phase:1,pass,nolog,ctl:requestBodyProcessor=URLENCODED"
`, depth)
		w, err := coraza.NewWAF(coraza.NewWAFConfig().WithDirectives(rules))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		wafs[depth] = w
		return w
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	enc := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if c.Depth == 0 {
			c.Depth = 1024
		}
		tx := wafFor(c.Depth).NewTransaction()
		tx.AddRequestHeader("Content-Type", c.Ct)
		tx.AddRequestHeader("X-Proc", c.Proc)
		tx.ProcessURI("/", "POST", "HTTP/1.1")
		tx.ProcessRequestHeaders()
		if _, _, err := tx.WriteRequestBody(c.Body); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if _, err := tx.ProcessRequestBody(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		v := tx.(withVariables).Variables()
		o := output{Flags: map[string]string{}}
		if v.RequestBodyError().Get() == "1" {
			o.Error = v.RequestBodyErrorMsg().Get()
			if o.Error == "" {
				o.Error = "error"
			}
		}
		o.Args = pairs(v.ArgsPost())
		o.Files = pairs(v.Files())
		o.FilesNames = pairs(v.FilesNames())
		o.FilesSizes = pairs(v.FilesSizes())
		o.Combined = v.FilesCombinedSize().Get()
		o.PartHeaders = pairs(v.MultipartPartHeaders())
		o.Names = pairs(v.MultipartName())
		o.Filenames = pairs(v.MultipartFilename())
		o.XML = pairs(v.RequestXML())
		o.Flags["strict"] = v.MultipartStrictError().Get()
		o.Flags["duplicate"] = v.MultipartDuplicatePartHeader().Get()
		o.Flags["quoting"] = v.MultipartInvalidQuoting().Get()
		if err := enc.Encode(o); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		tx.Close()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
