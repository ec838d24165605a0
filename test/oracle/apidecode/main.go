// Command apidecode decodes objects as the Kubernetes API server does before it validates them,
// for the ground truth of the field check of rendered objects (src/core/render/objectSchema.ts).
//
// Each input line is JSON {"id": "...", "yaml": "<base64>"}: one document, converted to JSON by
// sigs.k8s.io/yaml (as kubectl and Argo CD send it), then decoded by the API machinery's JSON
// serializer in strict mode (k8s.io/apimachinery runtime/serializer/json with Strict: true, the
// decoder the API server uses under fieldValidation=Strict, kubectl's default) into the versioned
// type of client-go's scheme (every group of k8s.io/api, plus apiextensions and apiregistration).
// Each output line is JSON {"id", "known", "fatal", "unknown"}: whether the scheme knows the kind,
// the decoding error that stops it (a value of the wrong type, a quantity that does not parse),
// and the fields strict decoding reports (unknown or repeated), in the server's words.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/client-go/kubernetes/scheme"
	apiregv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	"sigs.k8s.io/yaml"
)

type input struct {
	ID   string `json:"id"`
	YAML string `json:"yaml"`
}

type output struct {
	ID      string   `json:"id"`
	Known   bool     `json:"known"`
	Fatal   string   `json:"fatal,omitempty"`
	Unknown []string `json:"unknown,omitempty"`
}

func main() {
	_ = apiextv1.AddToScheme(scheme.Scheme)
	_ = apiregv1.AddToScheme(scheme.Scheme)
	strict := kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme.Scheme, scheme.Scheme, kjson.SerializerOptions{Strict: true})
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		text, err := base64.StdEncoding.DecodeString(c.YAML)
		if err != nil {
			panic(err)
		}
		o := output{ID: c.ID}
		body, err := yaml.YAMLToJSON(text)
		if err != nil {
			o.Fatal = "yaml: " + err.Error()
			_ = out.Encode(o)
			continue
		}
		_, gvk, err := strict.Decode(body, nil, nil)
		o.Known = gvk != nil && scheme.Scheme.Recognizes(*gvk)
		if err != nil {
			if se, ok := runtime.AsStrictDecodingError(err); ok {
				for _, e := range se.Errors() {
					o.Unknown = append(o.Unknown, strings.TrimSpace(e.Error()))
				}
			} else if o.Known {
				o.Fatal = err.Error()
			}
		}
		_ = out.Encode(o)
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
