// Oracle for the discover globs of a Config Management Plugin: what argo-cd v3.6.2's sidecar
// (cmpserver/plugin/plugin.go matchRepository) answers for one app folder. Reads JSON lines
// {"root", "app", "fileName", "glob"} and writes one JSON line each: {"supported", "error",
// "matches"} — the first rule set decides, as in Argo CD; matches are relative to root, sorted.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"

	"github.com/mattn/go-zglob"
)

type query struct {
	Root     string `json:"root"`
	App      string `json:"app"`
	FileName string `json:"fileName"`
	Glob     string `json:"glob"`
}

type answer struct {
	Supported bool     `json:"supported"`
	Error     bool     `json:"error"`
	Matches   []string `json:"matches"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var q query
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			panic(err)
		}
		appPath := filepath.Join(q.Root, q.App)
		var matches []string
		var err error
		if q.FileName != "" {
			matches, err = filepath.Glob(filepath.Join(appPath, q.FileName))
		} else {
			matches, err = zglob.Glob(filepath.Join(appPath, q.Glob))
		}
		rel := []string{}
		for _, m := range matches {
			r, e := filepath.Rel(q.Root, m)
			if e != nil {
				r = m
			}
			rel = append(rel, filepath.ToSlash(r))
		}
		sort.Strings(rel)
		_ = enc.Encode(answer{Supported: err == nil && len(matches) > 0, Error: err != nil, Matches: rel})
	}
}
