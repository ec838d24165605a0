// Command goldens recomputes, with Go itself, the expectations the template engine's golden
// tables hold (test/unit/template: go-goldens.ts, fmt-goldens.ts, sprig-yaml-cases.ts; the
// sprig render cases come from the template oracle, test/oracle/gotemplate). The tables keep
// their inputs; test/oracle/goldens.ts sends them here and compares or rewrites the outputs.
//
// Protocol: one JSON object per line on stdin, one answer per line on stdout, in order.
//
//	{"kind": "template", "t": "...", "data": <json>, "options": ["missingkey=error"], "name": ""}
//	  → {"out": "..."} | {"parseErr": "..."} | {"execErr": "..."}
//	  text/template with the test function map below (test/unit/template/template-funcs.ts);
//	  data decoded by encoding/json, lists under a "segments" key as []string and maps under a
//	  "labels" key as map[string]string.
//	{"kind": "fmt", "value": "<name>", "formats": ["%v", ...]}
//	  → {"rows": [["%v", "..."], ...]}: fmt.Sprintf(format, value), the values named as in
//	  test/unit/template/fmt.test.ts.
//	{"kind": "yaml", "json": "<json text>"}
//	  → {"yaml": "..."} | {"err": "..."}: sigs.k8s.io/yaml Marshal of json.Unmarshal(json).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"text/template"

	"sigs.k8s.io/yaml"
)

type request struct {
	Kind    string          `json:"kind"`
	T       string          `json:"t"`
	Data    json.RawMessage `json:"data"`
	Options []string        `json:"options"`
	Name    string          `json:"name"`
	Value   string          `json:"value"`
	Formats []string        `json:"formats"`
	JSON    string          `json:"json"`
}

type answer struct {
	Out      *string     `json:"out,omitempty"`
	ParseErr string      `json:"parseErr,omitempty"`
	ExecErr  string      `json:"execErr,omitempty"`
	Rows     [][2]string `json:"rows,omitempty"`
	YAML     *string     `json:"yaml,omitempty"`
	Err      string      `json:"err,omitempty"`
}

// testFuncs mirrors TEST_FUNCS in test/unit/template/template-funcs.ts, one Go signature each.
func testFuncs() template.FuncMap {
	return template.FuncMap{
		"upper":  strings.ToUpper,
		"add":    func(a, b int) int { return a + b },
		"addf":   func(a, b float64) float64 { return a + b },
		"mk64":   func() int64 { return 7 },
		"i64":    func(x int64) int64 { return x },
		"join":   func(sep string, items ...string) string { return strings.Join(items, sep) },
		"fail":   func(msg string) (string, error) { return "", errors.New(msg) },
		"nilret": func() any { return nil },
		"strs":   func() []string { return []string{"a", "b"} },
		"m":      func() map[string]any { return map[string]any{"k": "v", "n": nil} },
		"anyid":  func(x any) any { return x },
		"u8":     func(x uint8) uint8 { return x },
		"f32":    func(x float32) float32 { return x },
		"boolid": func(b bool) bool { return b },
		"lst":    func(xs ...any) []any { return xs },
		"strid":  func(s string) string { return s },
	}
}

// typed gives the golden data the Go types the tables name: []string under "segments",
// map[string]string under "labels" (at any depth).
func typed(v any, key string) any {
	switch x := v.(type) {
	case []any:
		if key == "segments" {
			out := make([]string, len(x))
			for i, e := range x {
				out[i], _ = e.(string)
			}
			return out
		}
		for i, e := range x {
			x[i] = typed(e, "")
		}
		return x
	case map[string]any:
		if key == "labels" {
			out := map[string]string{}
			for k, e := range x {
				out[k], _ = e.(string)
			}
			return out
		}
		for k, e := range x {
			x[k] = typed(e, k)
		}
		return x
	}
	return v
}

func runTemplate(r *request) answer {
	var data any
	if len(r.Data) > 0 {
		if err := json.Unmarshal(r.Data, &data); err != nil {
			return answer{Err: "bad data: " + err.Error()}
		}
	}
	t, err := template.New(r.Name).Funcs(testFuncs()).Option(r.Options...).Parse(r.T)
	if err != nil {
		return answer{ParseErr: err.Error()}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, typed(data, "")); err != nil {
		return answer{ExecErr: err.Error()}
	}
	out := buf.String()
	return answer{Out: &out}
}

// fmtValues are the values of test/unit/template/fmt.test.ts, by the same names.
var fmtValues = map[string]any{
	`"hi"`:                      "hi",
	`""`:                        "",
	`"héllo\n\"q\"` + "`" + `"`: "héllo\n\"q\"`",
	`"日本語"`:                     "日本語",
	"1.5":                       1.5,
	"0":                         0.0,
	"1e6":                       1e6,
	"123456":                    123456.0,
	"1e21":                      1e21,
	"1e20":                      1e20,
	"0.0001":                    0.0001,
	"0.00001":                   0.00001,
	"1/3":                       1.0 / 3,
	"-2.5":                      -2.5,
	"123456789":                 123456789.0,
	"NaN":                       math.NaN(),
	"+Inf":                      math.Inf(1),
	"-Inf":                      math.Inf(-1),
	"int 42":                    42,
	"int -42":                   -42,
	"int 0":                     0,
	"uint8 255":                 uint8(255),
	"int64 1234567":             int64(1234567),
	"int 0x1F600":               0x1F600,
	"true":                      true,
	"nil":                       nil,
	"[]interface{} mixed":       []any{"a", 1, 2.5, nil, true},
	"[]string":                  []string{"x", "y"},
	"[]byte":                    []byte{104, 105},
	"map":                       map[string]any{"b": 2, "a": "x", "c": []any{1}, "d": map[string]any{"z": nil}},
	"map[string]string":         map[string]string{"k": "v"},
	"empty slice":               []any{},
	"empty map":                 map[string]any{},
}

func runFmt(r *request) answer {
	v, ok := fmtValues[r.Value]
	if !ok {
		return answer{Err: "no value named " + r.Value}
	}
	rows := make([][2]string, len(r.Formats))
	for i, f := range r.Formats {
		rows[i] = [2]string{f, fmt.Sprintf(f, v)}
	}
	return answer{Rows: rows}
}

func runYAML(r *request) answer {
	var v any
	if err := json.Unmarshal([]byte(r.JSON), &v); err != nil {
		return answer{Err: "bad json: " + err.Error()}
	}
	out, err := yaml.Marshal(v)
	if err != nil {
		return answer{Err: err.Error()}
	}
	s := string(out)
	return answer{YAML: &s}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		line := in.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r request
		var a answer
		if err := json.Unmarshal(line, &r); err != nil {
			a = answer{Err: "bad request: " + err.Error()}
		} else {
			switch r.Kind {
			case "template":
				a = runTemplate(&r)
			case "fmt":
				a = runFmt(&r)
			case "yaml":
				a = runYAML(&r)
			default:
				a = answer{Err: "unknown kind " + r.Kind}
			}
		}
		if err := enc.Encode(a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
