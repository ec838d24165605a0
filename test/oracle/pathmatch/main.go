// Oracle for the engine's port of Go's path.Match: reads JSON lines [pattern, name] and
// writes one JSON line each: {"match": bool, "bad": bool}.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var c [2]string
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		m, err := path.Match(c[0], c[1])
		_ = enc.Encode(map[string]bool{"match": m, "bad": err != nil})
	}
}
