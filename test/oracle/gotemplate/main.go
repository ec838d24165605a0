// Command oracle renders Go text/template cases exactly as Argo CD's ApplicationSet controller
// (argo-cd v3.5.1, applicationset/utils: Render.Replace + template_functions.go) does, so the
// TypeScript engine in src/core/template can be compared with real Go.
//
// Protocol: one JSON object per line on stdin,
//
//	{"id": "...", "template": "...", "data": <json>, "options": ["missingkey=error"],
//	 "stringSlices": ["path.segments"], "dataTypes": {"n": "int"}}
//
// and one JSON line per case on stdout, in input order:
//
//	{"id": "...", "output": "..."} or {"id": "...", "error": "...", "phase": "parse"|"exec"}
//
// "invalidUtf8": true is added when the output is not valid UTF-8 (JSON cannot carry the raw
// bytes, so Go's encoder replaced each bad byte with U+FFFD).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig/v3"
	"github.com/gosimple/slug"
	"sigs.k8s.io/yaml"
)

type testCase struct {
	ID           string            `json:"id"`
	Template     string            `json:"template"`
	Data         json.RawMessage   `json:"data"`
	Options      []string          `json:"options"`
	StringSlices []string          `json:"stringSlices"`
	DataTypes    map[string]string `json:"dataTypes"`
}

type result struct {
	ID          string  `json:"id"`
	Output      *string `json:"output,omitempty"`
	Error       string  `json:"error,omitempty"`
	Phase       string  `json:"phase,omitempty"`
	InvalidUTF8 bool    `json:"invalidUtf8,omitempty"`
}

// funcMap is Argo CD's: sprig's generic map without the three functions that reveal the
// controller's environment, plus Argo CD's own five.
func funcMap() template.FuncMap {
	m := sprig.GenericFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	m["normalize"] = sanitizeName
	m["slugify"] = slugifyName
	m["toYaml"] = toYAML
	m["fromYaml"] = fromYAML
	m["fromYamlArray"] = fromYAMLArray
	return template.FuncMap(m)
}

var invalidDNSNameChars = regexp.MustCompile("[^-a-z0-9.]")

// sanitizeName: lowercase, every char outside [-a-z0-9.] becomes '-', cut to 253 bytes, then
// leading/trailing '-' and '.' trimmed.
func sanitizeName(name string) string {
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

// slugifyName: the last argument is the name, an optional first int the maximum size (50) and
// an optional second bool smart truncation (true). Arguments of another Go type panic on the
// type assertion, which text/template reports as an error of the call, as in Argo CD.
func slugifyName(args ...interface{}) string {
	maxSize := 50
	smart := true
	name := ""
	for i, arg := range args {
		switch i {
		case len(args) - 1:
			name = arg.(string)
		case 0:
			maxSize = arg.(int)
		case 1:
			smart = arg.(bool)
		default:
			// Argo CD only logs "Bad 'slugify' arguments." and ignores the argument.
		}
	}
	slug.EnableSmartTruncate = smart
	slug.MaxLength = maxSize
	// The sanitized name is ASCII, so Argo CD's unidecode step is the identity here.
	return slug.Make(sanitizeName(name))
}

func toYAML(v interface{}) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(str string) (map[string]interface{}, error) {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		return nil, err
	}
	return m, nil
}

func fromYAMLArray(str string) ([]interface{}, error) {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		return nil, err
	}
	return a, nil
}

// convertAt replaces the value at a dotted path of nested maps with conv(value); a path that
// does not exist is left alone.
func convertAt(data interface{}, dotted string, conv func(interface{}) (interface{}, error)) error {
	parts := strings.Split(dotted, ".")
	cur, ok := data.(map[string]interface{})
	if !ok {
		return nil
	}
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]interface{})
		if !ok {
			return nil
		}
		cur = next
	}
	last := parts[len(parts)-1]
	v, ok := cur[last]
	if !ok {
		return nil
	}
	nv, err := conv(v)
	if err != nil {
		return fmt.Errorf("%s: %w", dotted, err)
	}
	cur[last] = nv
	return nil
}

func toStringSlice(v interface{}) (interface{}, error) {
	list, ok := v.([]interface{})
	if !ok {
		return nil, fmt.Errorf("not a list")
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("element %d is not a string", i)
		}
		out[i] = s
	}
	return out, nil
}

func integral(v interface{}) (int64, error) {
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) {
		return 0, fmt.Errorf("not an integral number")
	}
	return int64(f), nil
}

// converters for "dataTypes": the Go types generators or other producers can put in params.
var converters = map[string]func(interface{}) (interface{}, error){
	"[]string": toStringSlice,
	"int": func(v interface{}) (interface{}, error) {
		n, err := integral(v)
		return int(n), err
	},
	"int64": func(v interface{}) (interface{}, error) {
		return integral(v)
	},
	"[]int": func(v interface{}) (interface{}, error) {
		list, ok := v.([]interface{})
		if !ok {
			return nil, fmt.Errorf("not a list")
		}
		out := make([]int, len(list))
		for i, e := range list {
			n, err := integral(e)
			if err != nil {
				return nil, err
			}
			out[i] = int(n)
		}
		return out, nil
	},
	"map[string]string": func(v interface{}) (interface{}, error) {
		m, ok := v.(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("not a map")
		}
		out := make(map[string]string, len(m))
		for k, e := range m {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("value of %q is not a string", k)
			}
			out[k] = s
		}
		return out, nil
	},
}

func decodeData(c *testCase) (interface{}, error) {
	var data interface{} = map[string]interface{}{}
	if len(c.Data) > 0 && string(c.Data) != "null" {
		if err := json.Unmarshal(c.Data, &data); err != nil {
			return nil, err
		}
	}
	for _, p := range c.StringSlices {
		if err := convertAt(data, p, toStringSlice); err != nil {
			return nil, err
		}
	}
	for p, typ := range c.DataTypes {
		conv, ok := converters[typ]
		if !ok {
			return nil, fmt.Errorf("unsupported data type %q", typ)
		}
		if err := convertAt(data, p, conv); err != nil {
			return nil, err
		}
	}
	return data, nil
}

// render mirrors Render.Replace: parse with the function map, apply each option, execute.
func render(c *testCase, funcs template.FuncMap) (res result) {
	res.ID = c.ID
	phase := "parse"
	defer func() {
		if r := recover(); r != nil {
			res.Output = nil
			res.Error = fmt.Sprintf("panic: %v", r)
			res.Phase = phase
		}
	}()
	data, err := decodeData(c)
	if err != nil {
		res.Error = "bad case data: " + err.Error()
		res.Phase = "case"
		return res
	}
	tmpl, err := template.New("").Funcs(funcs).Parse(c.Template)
	if err != nil {
		res.Error = err.Error()
		res.Phase = "parse"
		return res
	}
	phase = "exec"
	for _, opt := range c.Options {
		tmpl = tmpl.Option(opt)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		res.Error = err.Error()
		res.Phase = "exec"
		return res
	}
	out := buf.String()
	res.Output = &out
	res.InvalidUTF8 = !utf8.ValidString(out)
	return res
}

func main() {
	funcs := funcMap()
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var c testCase
			var res result
			if jerr := json.Unmarshal(line, &c); jerr != nil {
				res = result{ID: c.ID, Error: "bad case line: " + jerr.Error(), Phase: "case"}
			} else {
				res = render(&c, funcs)
			}
			if eerr := enc.Encode(res); eerr != nil {
				fmt.Fprintln(os.Stderr, eerr)
				os.Exit(2)
			}
			// Flush per case so a caller may stream; buffered writes still batch the syscalls
			// when stdin holds many lines.
			if in.Buffered() == 0 {
				if ferr := w.Flush(); ferr != nil {
					os.Exit(2)
				}
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
