// Command yamlcheck reads every tracked .yaml/.yml/.json file of a repository (a git work tree)
// the way each possible consumer reads it, and prints what each consumer would say:
//
//	argocd  Argo CD / kubectl reading a plain manifest: k8s.io/apimachinery's YAMLOrJSONDecoder
//	        splits the documents, sigs.k8s.io/yaml decodes each (gitops-engine kube.SplitYAML)
//	first   sigs.k8s.io/yaml.Unmarshal of the whole file: helm values (chartutil.ReadValues),
//	        git files generator files, kustomization files — only the first document counts
//	kyaml   kustomize reading a file it lists (kio.ByteReader over go-yaml v3)
//	dup     a key twice in one mapping (go-yaml v3 node walk), with both lines
//	utf8    a byte sequence that is not UTF-8
//	multi   the number of documents, when more than one (matters for `first` consumers)
//
// Usage: yamlcheck REPO [FILE...]   Output: one JSON object per finding.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unicode/utf8"

	yamlv3 "gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/runtime"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/yaml"
)

type finding struct {
	File   string `json:"file"`
	Check  string `json:"check"`
	Line   int    `json:"line,omitempty"`
	Detail string `json:"detail"`
}

var enc = json.NewEncoder(os.Stdout)

func report(f finding) { _ = enc.Encode(f) }

func main() {
	repo := os.Args[1]
	files := os.Args[2:]
	if len(files) == 0 {
		b, err := exec.Command("git", "-C", repo, "ls-files", "-z").Output()
		if err != nil {
			panic(err)
		}
		for _, f := range strings.Split(string(b), "\x00") {
			if strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".yml") || strings.HasSuffix(f, ".json") || filepath.Base(f) == "Kustomization" {
				files = append(files, f)
			}
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			report(finding{f, "read", 0, err.Error()})
			continue
		}
		check(f, data)
	}
}

func check(f string, data []byte) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		report(finding{f, "utf8", bytes.Count(data[:off], []byte("\n")) + 1, fmt.Sprintf("invalid UTF-8 at byte %d", off)})
	}
	// Argo CD directory source / kubectl
	d := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	ndocs := 0
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err != io.EOF {
				report(finding{f, "argocd", 0, err.Error()})
			}
			break
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		ndocs++
		var u map[string]interface{}
		if err := yaml.Unmarshal(raw, &u); err != nil {
			report(finding{f, "argocd", 0, fmt.Sprintf("doc %d: %v", ndocs, err)})
		}
	}
	if ndocs > 1 {
		report(finding{f, "multi", 0, fmt.Sprintf("%d documents", ndocs)})
	}
	// first-document consumers
	var anyv interface{}
	if err := yaml.Unmarshal(data, &anyv); err != nil {
		report(finding{f, "first", 0, err.Error()})
	}
	// kustomize
	if _, err := (&kio.ByteReader{Reader: bytes.NewReader(data), OmitReaderAnnotations: true}).Read(); err != nil {
		report(finding{f, "kyaml", 0, err.Error()})
	}
	// duplicate keys, per document
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	for {
		var n yamlv3.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			report(finding{f, "yamlv3", 0, err.Error()})
			break
		}
		walk(f, &n)
	}
}

func walk(f string, n *yamlv3.Node) {
	if n.Kind == yamlv3.MappingNode {
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yamlv3.ScalarNode {
				if first, ok := seen[k.Value]; ok && k.Value != "<<" {
					report(finding{f, "dup", k.Line, fmt.Sprintf("key %q again (first at line %d)", k.Value, first)})
				} else {
					seen[k.Value] = k.Line
				}
			}
		}
	}
	for _, c := range n.Content {
		walk(f, c)
	}
}
