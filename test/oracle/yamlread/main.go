// Oracle for src/core/yaml: what the Go YAML readers that consume a home-ops repository do with
// a text. Reads JSON lines {"id", "reader", "text"} (text base64, so any bytes can be carried)
// and writes one JSON line per case:
//
//	{"id", "ok", "error", "line", "doc", "docFrom", "docTo", "values"}
//
// ok/error: whether the reader accepts the text, and its message. line: the 1-based line of
// the file the error names (Go names lines relative to the document it was reading; the
// document's first line is added), 0 when the message names none. doc: the 0-based index of
// the piece (document) that failed, -1 when unknown; docFrom, docTo: its lines in the file. values: what the reader made of each
// document, as JSON, with every number written {"\u0000num": "<its JSON text>"} so that integer
// and float text and int64 values survive (a JSON number's text is what the reader produced:
// sigs.k8s.io/yaml writes go-yaml's int as "12" and its float64 1.0 as "1").
//
// Readers:
//
//	sigs       sigs.k8s.io/yaml.Unmarshal into interface{} (first document): kustomize's
//	           kustomization (YAMLToJSON), helm values, the files generator, Argo CD's
//	           fromYaml/elementsYaml/templatePatch. values: [YAMLToJSON's JSON].
//	manifests  k8s.io/apimachinery/pkg/util/yaml.NewYAMLOrJSONDecoder(r, 4096) decoding
//	           runtime.RawExtension per document, trimmed, empty and null documents skipped,
//	           then sigs.k8s.io/yaml.Unmarshal of each: gitops-engine's kube.SplitYAML (Argo CD)
//	           and cli-runtime's StreamVisitor (kubectl). The object-shape checks that follow
//	           (unstructured.Unstructured needs a map with a kind) are not YAML and are left out.
//	kyaml      sigs.k8s.io/kustomize/kyaml/kio.FromBytes (what api/resource.Factory.
//	           RNodesFromBytes calls for a file kustomize lists), then each node as kustomize
//	           turns it into a resource map (RNode.Map, go-yaml v3 into map[string]interface{})
//	           and JSON (json.Marshal, as Resource.AsYAML does). Non-mapping documents are
//	           decoded into interface{} (kustomize then rejects them for a missing kind: not YAML).
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	goyaml3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/kyaml/kio"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/yaml"
)

type input struct {
	ID     string `json:"id"`
	Reader string `json:"reader"`
	Text   string `json:"text"`
}

type output struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Line  int    `json:"line"`
	Doc   int    `json:"doc"`
	// DocFrom, DocTo: the lines (1-based, inclusive) of that document in the file; 0 if unknown.
	DocFrom int           `json:"docFrom"`
	DocTo   int           `json:"docTo"`
	Values  []interface{} `json:"values"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		text, err := base64.StdEncoding.DecodeString(c.Text)
		if err != nil {
			panic(err)
		}
		var o output
		switch c.Reader {
		case "sigs":
			o = readSigs(text)
		case "manifests":
			o = readManifests(text)
		case "kyaml":
			o = readKyaml(text)
		default:
			panic("unknown reader " + c.Reader)
		}
		o.ID = c.ID
		if o.Values == nil {
			o.Values = []interface{}{}
		}
		if err := enc.Encode(o); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}

// safely runs f, turning a panic of the library into an error (none is expected; a panic would
// be a finding of its own).
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

func failed(err error, doc int, lineOffset int) output {
	msg := err.Error()
	line := lineIn(msg)
	if line > 0 {
		line += lineOffset
	}
	return output{OK: false, Error: msg, Line: line, Doc: doc}
}

var lineRe = regexp.MustCompile(`line (\d+)`)

// lineIn is the first "line N" of a go-yaml message (1-based, relative to what was parsed).
func lineIn(msg string) int {
	m := lineRe.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// tagged decodes JSON with every number kept as its text.
func tagged(j []byte) (interface{}, error) {
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return tagNumbers(v), nil
}

func tagNumbers(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		return map[string]string{"\u0000num": t.String()}
	case map[string]interface{}:
		for k, e := range t {
			t[k] = tagNumbers(e)
		}
		return t
	case []interface{}:
		for i, e := range t {
			t[i] = tagNumbers(e)
		}
		return t
	}
	return v
}

func readSigs(text []byte) output {
	var v interface{}
	if err := safely(func() error { return yaml.Unmarshal(text, &v) }); err != nil {
		return failed(err, 0, 0)
	}
	j, err := yaml.YAMLToJSON(text)
	if err != nil {
		panic("YAMLToJSON failed where Unmarshal did not: " + err.Error())
	}
	t, err := tagged(j)
	if err != nil {
		panic(err)
	}
	return output{OK: true, Doc: -1, Values: []interface{}{t}}
}

// manifestChunks splits text as apimachinery's YAMLReader does (a line starting with "---" ends
// a non-empty document, and starts the next one when nothing is buffered; LineReader drops
// "\r\n"/"\n" and adds "\n"), returning each chunk and its first line (0-based), so that an
// error's line can be made absolute. It is checked against the real YAMLReader below.
func manifestChunks(text []byte) (chunks [][]byte, starts []int) {
	var buf bytes.Buffer
	start := 0
	for i, l := range splitLines(text) {
		if bytes.HasPrefix(l, []byte("---")) && buf.Len() != 0 {
			chunks = append(chunks, append([]byte(nil), buf.Bytes()...))
			starts = append(starts, start)
			buf.Reset()
			continue
		}
		if buf.Len() == 0 {
			start = i
		}
		buf.Write(l)
		buf.WriteByte('\n')
	}
	if buf.Len() != 0 {
		chunks = append(chunks, append([]byte(nil), buf.Bytes()...))
		starts = append(starts, start)
	}
	return chunks, starts
}

// splitLines splits as bufio.Reader.ReadLine does: at "\n", dropping a "\r" before it.
func splitLines(text []byte) [][]byte {
	var lines [][]byte
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		l := text[:i]
		if len(l) > 0 && l[len(l)-1] == '\r' {
			l = l[:len(l)-1]
		}
		lines = append(lines, l)
		text = text[i+1:]
	}
	return lines
}

func realChunks(text []byte) [][]byte {
	r := kubeyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(text)))
	var out [][]byte
	for {
		b, err := r.Read()
		if err != nil {
			return out // io.EOF, or a separator error (the chunker does not model it)
		}
		out = append(out, append([]byte(nil), b...))
	}
}

// splitYAML is gitops-engine's kube.SplitYAML up to the unstructured conversion.
func splitYAML(text []byte) ([][]byte, error) {
	d := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(text), 4096)
	var objs [][]byte
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err == io.EOF {
				break
			}
			return objs, fmt.Errorf("failed to unmarshal manifest: %v", err)
		}
		ext.Raw = bytes.TrimSpace(ext.Raw)
		if len(ext.Raw) == 0 || bytes.Equal(ext.Raw, []byte("null")) {
			continue
		}
		var u interface{}
		if err := yaml.Unmarshal(ext.Raw, &u); err != nil {
			return objs, fmt.Errorf("failed to unmarshal manifest: %v", err)
		}
		j, err := yaml.YAMLToJSON(ext.Raw)
		if err != nil {
			return objs, err
		}
		objs = append(objs, j)
	}
	return objs, nil
}

func readManifests(text []byte) output {
	var objs [][]byte
	err := safely(func() error {
		var e error
		objs, e = splitYAML(text)
		return e
	})
	if err != nil {
		// Which document: the first chunk that fails on its own.
		chunks, starts := manifestChunks(text)
		if !isJSON(text) {
			real := realChunks(text)
			if len(real) == len(chunks) {
				for i := range real {
					if !bytes.Equal(real[i], chunks[i]) {
						panic(fmt.Sprintf("chunker disagrees with YAMLReader on chunk %d: %q vs %q", i, chunks[i], real[i]))
					}
				}
			}
		}
		if strings.Contains(err.Error(), "invalid Yaml document separator") {
			return failed(err, -1, 0)
		}
		for i, c := range chunks {
			if _, e := splitYAML(c); e != nil {
				o := failed(err, i, starts[i])
				o.DocFrom, o.DocTo = starts[i]+1, starts[i]+bytes.Count(c, []byte("\n"))
				return o
			}
		}
		return failed(err, -1, 0)
	}
	o := output{OK: true, Doc: -1}
	for _, j := range objs {
		t, e := tagged(j)
		if e != nil {
			panic(e)
		}
		o.Values = append(o.Values, t)
	}
	return o
}

func isJSON(text []byte) bool {
	t := bytes.TrimLeft(text, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// kyamlPieces splits as kyaml's splitDocuments does (after "\r\n" → "\n", which keeps lines),
// with each piece's first line.
var kyamlSeparator = regexp.MustCompile(`\n---.*\n`)

func kyamlPieces(s string) (pieces []string, starts []int) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	prev := 0
	for _, loc := range kyamlSeparator.FindAllStringIndex(s, -1) {
		pieces = append(pieces, s[prev:loc[0]]+"\n")
		starts = append(starts, strings.Count(s[:prev], "\n"))
		prev = loc[1]
	}
	pieces = append(pieces, s[prev:])
	starts = append(starts, strings.Count(s[:prev], "\n"))
	return pieces, starts
}

func kyamlValues(text []byte) ([]interface{}, error) {
	if selfAlias(text) {
		// kyaml's DeAnchor recurses without end on an alias inside its own anchor: kustomize
		// dies of a stack overflow, which no recover() survives. Said here instead.
		return nil, errors.New("fatal error: stack overflow (an alias inside its own anchor)")
	}
	nodes, err := kio.FromBytes(text)
	if err != nil {
		return nil, err
	}
	var values []interface{}
	for _, n := range nodes {
		var v interface{}
		if n.YNode().Kind == kyaml.MappingNode {
			m, err := n.Map()
			if err != nil {
				return nil, err
			}
			v = m
		} else if err := n.YNode().Decode(&v); err != nil {
			return nil, err
		}
		j, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		t, err := tagged(j)
		if err != nil {
			panic(err)
		}
		values = append(values, t)
	}
	return values, nil
}

func readKyaml(text []byte) output {
	var values []interface{}
	err := safely(func() error {
		var e error
		values, e = kyamlValues(text)
		return e
	})
	if err != nil {
		if strings.Contains(err.Error(), "invalid document separator") {
			return failed(err, -1, 0)
		}
		pieces, starts := kyamlPieces(string(text))
		if len(pieces) > 1 {
			for i, p := range pieces {
				if _, e := kyamlValues([]byte(p)); e != nil {
					m := failed(err, i, 0)
					// The message's line is the piece's: make it the file's.
					if m.Line > 0 {
						m.Line += starts[i]
					}
					m.DocFrom, m.DocTo = starts[i]+1, starts[i]+strings.Count(strings.TrimSuffix(p, "\n"), "\n")+1
					return m
				}
			}
			return failed(err, -1, 0)
		}
		o := failed(err, 0, 0)
		o.DocFrom, o.DocTo = 1, strings.Count(strings.TrimSuffix(string(text), "\n"), "\n")+1
		return o
	}
	return output{OK: true, Doc: -1, Values: values}
}

// selfAlias tells whether a document of text (as kyaml splits it) holds an alias inside the
// node its anchor names.
func selfAlias(text []byte) bool {
	pieces, _ := kyamlPieces(string(text))
	for _, p := range pieces {
		var n goyaml3.Node
		if goyaml3.Unmarshal([]byte(p), &n) != nil {
			continue
		}
		if aliasInside(&n, map[*goyaml3.Node]bool{}) {
			return true
		}
	}
	return false
}

func aliasInside(n *goyaml3.Node, open map[*goyaml3.Node]bool) bool {
	if n == nil {
		return false
	}
	if n.Kind == goyaml3.AliasNode {
		return open[n.Alias] || aliasInside(n.Alias, open)
	}
	open[n] = true
	defer delete(open, n)
	for _, c := range n.Content {
		if aliasInside(c, open) {
			return true
		}
	}
	return false
}
