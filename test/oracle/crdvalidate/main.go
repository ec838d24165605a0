// Command crdvalidate validates custom resources as the API server does on create, for the
// ground truth of the check of custom resources against their CustomResourceDefinition
// (src/core/render/crdSchema.ts).
//
// Each input line is JSON {"id", "crd", "obj"} (both YAML documents in base64). The object is
// read as kubectl sends it (sigs.k8s.io/yaml to JSON, numbers as int64/float64), then handled as
// apiextensions-apiserver v0.37.2 does: pruning with unknown field paths tracked (what strict
// field validation reports, customresource_handler.go unstructuredSchemaCoercer), nulls pruned
// and defaults applied (structural defaulting), then the OpenAPI schema validator
// (validation.ValidateCustomResource). CEL rules (x-kubernetes-validations) are not run.
// Each output line is JSON {"id", "structural", "unknown", "errors": [{"type", "field", "detail"}]}.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"os"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"
)

type input struct {
	ID  string `json:"id"`
	CRD string `json:"crd"`
	Obj string `json:"obj"`
}

type fieldError struct {
	Type   string `json:"type"`
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

type output struct {
	ID         string       `json:"id"`
	Structural bool         `json:"structural"`
	Problem    string       `json:"problem,omitempty"`
	Unknown    []string     `json:"unknown,omitempty"`
	Errors     []fieldError `json:"errors,omitempty"`
}

func decode(b64 string) ([]byte, error) {
	text, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, err
	}
	return yaml.YAMLToJSON(text)
}

func answer(c input) output {
	o := output{ID: c.ID}
	crdJSON, err := decode(c.CRD)
	if err != nil {
		o.Problem = "crd: " + err.Error()
		return o
	}
	var crd apiextv1.CustomResourceDefinition
	if err := json.Unmarshal(crdJSON, &crd); err != nil {
		o.Problem = "crd: " + err.Error()
		return o
	}
	objJSON, err := decode(c.Obj)
	if err != nil {
		o.Problem = "obj: " + err.Error()
		return o
	}
	var obj map[string]interface{}
	if err := utiljson.Unmarshal(objJSON, &obj); err != nil {
		o.Problem = "obj: " + err.Error()
		return o
	}
	apiVersion, _ := obj["apiVersion"].(string)
	var version *apiextv1.CustomResourceDefinitionVersion
	for i := range crd.Spec.Versions {
		if crd.Spec.Group+"/"+crd.Spec.Versions[i].Name == apiVersion {
			version = &crd.Spec.Versions[i]
		}
	}
	if version == nil || version.Schema == nil || version.Schema.OpenAPIV3Schema == nil {
		o.Problem = "no schema for " + apiVersion
		return o
	}
	var internal apiextensions.JSONSchemaProps
	if err := apiextv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(version.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
		o.Problem = "convert: " + err.Error()
		return o
	}
	structural, err := structuralschema.NewStructural(&internal)
	if err != nil {
		o.Problem = "structural: " + err.Error()
		return o
	}
	o.Structural = true
	if !crd.Spec.PreserveUnknownFields {
		o.Unknown = structuralpruning.PruneWithOptions(obj, structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
		structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, structural)
	}
	structuraldefaulting.Default(obj, structural)
	validator, _, err := validation.NewSchemaValidator(&internal)
	if err != nil {
		o.Problem = "validator: " + err.Error()
		return o
	}
	for _, e := range validation.ValidateCustomResource(nil, obj, validator) {
		o.Errors = append(o.Errors, fieldError{Type: string(e.Type), Field: e.Field, Detail: e.Error()})
	}
	return o
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c input
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		_ = out.Encode(answer(c))
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
