// Reads YAML files the way Argo CD does, for the mutation suite's ground truth (test/unit/trust).
//
// Input: one JSON object per line on stdin, {"id": "...", "mode": "...", "file": "/abs/path"}.
// Output: one JSON object per line, {"id": "...", "ok": true, "docs": [...]} or
// {"id": "...", "ok": false, "error": "..."}.
//
// Modes:
//   - manifests: a plain-YAML file of a directory source, as the repo-server reads it
//     (gitops-engine pkg/utils/kube SplitYAML: k8s.io/apimachinery's YAMLOrJSONDecoder splits
//     the documents, each is unmarshalled by sigs.k8s.io/yaml into an Unstructured object).
//   - generator-file: a git files generator input, as the ApplicationSet controller reads it
//     (applicationset/generators/git.go generateParamsFromGitFile: sigs.k8s.io/yaml into one
//     object, else into a list of objects).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

type request struct {
	ID   string `json:"id"`
	Mode string `json:"mode"`
	File string `json:"file"`
}

type response struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Docs  []any  `json:"docs,omitempty"`
}

func splitManifests(data []byte) ([]any, error) {
	d := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	docs := []any{}
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return docs, fmt.Errorf("failed to unmarshal manifest: %w", err)
		}
		ext.Raw = bytes.TrimSpace(ext.Raw)
		if len(ext.Raw) == 0 || bytes.Equal(ext.Raw, []byte("null")) {
			continue
		}
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(ext.Raw, u); err != nil {
			return docs, fmt.Errorf("failed to unmarshal manifest: %w", err)
		}
		docs = append(docs, u.Object)
	}
	return docs, nil
}

func generatorFile(data []byte) ([]any, error) {
	single := map[string]any{}
	if err := yaml.Unmarshal(data, &single); err == nil {
		return []any{single}, nil
	}
	list := []map[string]any{}
	if err := yaml.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("unable to parse file: %w", err)
	}
	docs := []any{}
	for _, o := range list {
		docs = append(docs, o)
	}
	return docs, nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request:", err)
			os.Exit(2)
		}
		res := response{ID: req.ID}
		data, err := os.ReadFile(req.File)
		var docs []any
		if err == nil {
			switch req.Mode {
			case "manifests":
				docs, err = splitManifests(data)
			case "generator-file":
				docs, err = generatorFile(data)
			default:
				err = fmt.Errorf("unknown mode %q", req.Mode)
			}
		}
		if err != nil {
			res.Error = err.Error()
		} else {
			res.OK = true
			res.Docs = docs
		}
		if err := out.Encode(res); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
