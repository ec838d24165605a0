// Command argodump prints each object of a manifest file as Argo CD's repo-server decodes it
// (gitops-engine kube.SplitYAML: apimachinery YAMLOrJSONDecoder, then sigs.k8s.io/yaml), as JSON.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"encoding/json"
	"k8s.io/apimachinery/pkg/runtime"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	data, _ := os.ReadFile(os.Args[1])
	d := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err != io.EOF {
				fmt.Println("ERROR:", err)
			}
			return
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		var u map[string]interface{}
		if err := yaml.Unmarshal(raw, &u); err != nil {
			fmt.Println("ERROR:", err)
			return
		}
		b, _ := json.Marshal(u)
		fmt.Println(string(b))
	}
}
