// Reference for test/seclang/transforms.test.ts: runs values through Coraza v3.8.1 (the engine in
// /tmp/meshplug-peers/coraza.wasm) by its public API, one rule per transformation or operator, and prints
// what each rule saw (the transformed value) or whether it matched.
//
// stdin:  {"transforms": ["urlDecodeUni", ...], "ops": [["pm", "a b"], ...], "inputs": ["<base64>", ...]}
// stdout: {"t": [["<base64>" | null per transformation] per input], "ops": [[true/false/null per op] per input],
//          "opErrors": ["" or the compile error per op]}
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	"github.com/corazawaf/coraza/v3"
	"github.com/corazawaf/coraza/v3/types"
)

type request struct {
	Transforms []string    `json:"transforms"`
	Ops        [][2]string `json:"ops"`
	Inputs     []string    `json:"inputs"`
}

type response struct {
	T        [][]*string `json:"t"`
	Ops      [][]*bool   `json:"ops"`
	OpErrors []string    `json:"opErrors"`
}

const firstTransformID = 1000

func newWAF(directives string) (coraza.WAF, error) {
	return coraza.NewWAF(coraza.NewWAFConfig().WithDirectives("SecRuleEngine DetectionOnly\n" + directives))
}

// matched returns rule id -> the value the rule matched on, for one request header value.
func matched(waf coraza.WAF, value string) map[int]string {
	tx := waf.NewTransaction()
	defer tx.Close()
	tx.AddRequestHeader("x-in", value)
	tx.ProcessRequestHeaders()
	out := map[int]string{}
	for _, mr := range tx.MatchedRules() {
		for _, md := range mr.MatchedDatas() {
			out[mr.Rule().ID()] = md.Value()
		}
	}
	return out
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "bad request:", err)
		os.Exit(2)
	}
	dirs := ""
	for i, t := range req.Transforms {
		dirs += fmt.Sprintf("SecRule REQUEST_HEADERS:x-in \"@unconditionalMatch\" \"id:%d,phase:1,pass,log,t:none,t:%s\"\n", firstTransformID+i, t)
	}
	tw, err := newWAF(dirs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "transform rules:", err)
		os.Exit(2)
	}
	opWAFs := make([]coraza.WAF, len(req.Ops))
	resp := response{OpErrors: make([]string, len(req.Ops))}
	for j, op := range req.Ops {
		w, err := newWAF(fmt.Sprintf("SecRule REQUEST_HEADERS:x-in \"@%s %s\" \"id:1,phase:1,pass,log,t:none\"\n", op[0], op[1]))
		if err != nil {
			resp.OpErrors[j] = err.Error()
			continue
		}
		opWAFs[j] = w
	}
	for _, in := range req.Inputs {
		raw, err := base64.StdEncoding.DecodeString(in)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad input:", err)
			os.Exit(2)
		}
		seen := matched(tw, string(raw))
		row := make([]*string, len(req.Transforms))
		for i := range req.Transforms {
			if v, ok := seen[firstTransformID+i]; ok {
				s := base64.StdEncoding.EncodeToString([]byte(v))
				row[i] = &s
			}
		}
		resp.T = append(resp.T, row)
		opRow := make([]*bool, len(req.Ops))
		for j := range req.Ops {
			if opWAFs[j] == nil {
				continue
			}
			_, ok := matched(opWAFs[j], string(raw))[1]
			opRow[j] = &ok
		}
		resp.Ops = append(resp.Ops, opRow)
	}
	_ = types.PhaseRequestHeaders
	if err := json.NewEncoder(os.Stdout).Encode(resp); err != nil {
		os.Exit(2)
	}
}
