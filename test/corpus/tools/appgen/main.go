// Command appgen computes, independently of the TypeScript engine, the Applications that the
// ApplicationSets of a checked-out repository generate, following argocd-facts.md in
// ../shared/reference (Argo CD v3.5.1): git directories with Go path.Match over the directories Git
// has (hidden ones skipped), git files with `git ls-files` pathspecs (legacy globbing), list
// elements, generator template overrides (generator fields win), Go text/template with sprig
// (Argo CD's function map) or the legacy fasttemplate replacement, templatePatch (maps merged,
// lists replaced, null deletes), and the standalone Applications.
//
// For every source of every Application that points into this repository (repoURL matching
// SELF_REPO_REGEX) it also reports what Argo CD's repo-server would find there (sourceChecks):
// the source type (kustomize, helm, directory), whether the path and each Helm value file exist,
// and for directory sources every file it reads (*.yaml, *.yml, *.json; include/exclude; recurse)
// with any document that is not a Kubernetes object.
//
// Usage: appgen REPO SELF_REPO_REGEX [EXTRA.yaml...]
// REPO must be a git work tree; EXTRA files are read as additional manifests, e.g. the output of
// `helm template` for an ApplicationSet that only exists after a chart renders. Prints JSON.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	yamlv3 "gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/runtime"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

type doc struct {
	file string
	line int
	obj  map[string]interface{}
}

type app struct {
	Name      string        `json:"name"`
	Namespace string        `json:"namespace"`
	Project   string        `json:"project"`
	Sources   []interface{} `json:"sources"`
	AppSet    string        `json:"appset,omitempty"`
	File      string        `json:"file"`
	Line      int           `json:"line,omitempty"`
	Origin    string        `json:"origin,omitempty"`
	Error     string        `json:"error,omitempty"`
}

type output struct {
	Sources    []srcCheck        `json:"sourceChecks"`
	Generated  []app             `json:"generated"`
	Standalone []app             `json:"standalone"`
	AppSets    map[string]int    `json:"appsetCounts"`
	Problems   []string          `json:"problems"`
	Matches    map[string]string `json:"matches"`
}

var repo string
var selfRepo *regexp.Regexp
var out = output{AppSets: map[string]int{}, Matches: map[string]string{}}

func main() {
	repo = os.Args[1]
	selfRepo = regexp.MustCompile(os.Args[2])
	files := gitLsFiles(nil)
	var docs []doc
	for _, f := range files {
		if !strings.HasSuffix(f, ".yaml") && !strings.HasSuffix(f, ".yml") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			continue
		}
		docs = append(docs, splitDocs(f, data)...)
	}
	for _, extra := range os.Args[3:] {
		data, err := os.ReadFile(extra)
		if err != nil {
			panic(err)
		}
		docs = append(docs, splitDocs("EXTRA:"+filepath.Base(extra), data)...)
	}
	for _, d := range docs {
		kind, _ := d.obj["kind"].(string)
		api, _ := d.obj["apiVersion"].(string)
		if !strings.HasPrefix(api, "argoproj.io/") {
			continue
		}
		switch kind {
		case "Application":
			out.Standalone = append(out.Standalone, appFrom(d.obj, d.file, d.line, "", ""))
		case "ApplicationSet":
			evalAppSet(d)
		}
	}
	sort.Slice(out.Generated, func(i, j int) bool { return out.Generated[i].Name < out.Generated[j].Name })
	for _, a := range append(append([]app{}, out.Generated...), out.Standalone...) {
		out.Sources = append(out.Sources, checkSources(a)...)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// splitDocs reads each YAML document the way kubectl/Argo CD would see it (sigs.k8s.io/yaml per
// document); the line is the document's first line.
func splitDocs(file string, data []byte) []doc {
	var docs []doc
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	for {
		var n yamlv3.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			// not YAML for go-yaml v3 (e.g. a Helm template): skip, reported elsewhere
			break
		}
		b, err := yamlv3.Marshal(&n)
		if err != nil {
			continue
		}
		var m map[string]interface{}
		if err := yaml.Unmarshal(b, &m); err != nil || m == nil {
			continue
		}
		line := 1
		if len(n.Content) > 0 {
			line = n.Content[0].Line
		}
		docs = append(docs, doc{file, line, m})
	}
	return docs
}

func gitLsFiles(patterns []string) []string {
	args := []string{"-C", repo, "ls-files", "--full-name", "-z", "--"}
	args = append(args, patterns...)
	cmd := exec.Command("git", args...)
	b, err := cmd.Output()
	if err != nil {
		panic(err)
	}
	var res []string
	for _, s := range strings.Split(string(b), "\x00") {
		if s != "" {
			res = append(res, s)
		}
	}
	sort.Strings(res)
	return res
}

// gitDirs: every directory a checkout of the tracked files has, minus hidden ones (and their
// subtrees), as filepath.WalkDir of the repo-server lists them.
func gitDirs() []string {
	set := map[string]bool{}
	for _, f := range gitLsFiles(nil) {
		d := path.Dir(f)
		for d != "." && d != "/" {
			set[d] = true
			d = path.Dir(d)
		}
	}
	var res []string
	for d := range set {
		hidden := false
		for _, seg := range strings.Split(d, "/") {
			if strings.HasPrefix(seg, ".") {
				hidden = true
			}
		}
		if !hidden {
			res = append(res, d)
		}
	}
	sort.Strings(res)
	return res
}

func str(m map[string]interface{}, k string) string {
	s, _ := m[k].(string)
	return s
}

func mapAt(m map[string]interface{}, keys ...string) map[string]interface{} {
	cur := m
	for _, k := range keys {
		next, ok := cur[k].(map[string]interface{})
		if !ok {
			return nil
		}
		cur = next
	}
	return cur
}

type paramSet struct {
	params map[string]interface{}
	origin string
}

func evalAppSet(d doc) {
	spec := mapAt(d.obj, "spec")
	name := str(mapAt(d.obj, "metadata"), "name")
	goTemplate, _ := spec["goTemplate"].(bool)
	var opts []string
	if o, ok := spec["goTemplateOptions"].([]interface{}); ok {
		for _, x := range o {
			opts = append(opts, fmt.Sprint(x))
		}
	}
	baseTemplate := mapAt(spec, "template")
	patch, _ := spec["templatePatch"].(string)
	gens, _ := spec["generators"].([]interface{})
	count := 0
	for gi, g := range gens {
		gm, _ := g.(map[string]interface{})
		sets, genTemplate := generate(gm, goTemplate, fmt.Sprintf("%s generator %d", name, gi))
		var gt map[string]interface{}
		if genTemplate != nil {
			gt = deepCopy(genTemplate).(map[string]interface{})
		}
		tmpl := mergeTemplate(gt, baseTemplate)
		for _, ps := range sets {
			rendered, err := renderAll(deepCopy(tmpl), ps.params, goTemplate, opts)
			a := app{AppSet: name, File: d.file, Line: d.line, Origin: ps.origin}
			if err != nil {
				a.Error = err.Error()
				out.Generated = append(out.Generated, a)
				continue
			}
			rm := rendered.(map[string]interface{})
			if patch != "" {
				p, err := renderString(patch, ps.params, goTemplate, opts)
				if err != nil {
					a.Error = "templatePatch: " + err.Error()
					out.Generated = append(out.Generated, a)
					continue
				}
				var pm map[string]interface{}
				if err := yaml.Unmarshal([]byte(p), &pm); err != nil {
					a.Error = "templatePatch yaml: " + err.Error()
					out.Generated = append(out.Generated, a)
					continue
				}
				project := mapAt(rm, "spec")["project"]
				rm = mergePatch(rm, pm).(map[string]interface{})
				mapAt(rm, "spec")["project"] = project
			}
			a2 := appFrom(map[string]interface{}{"metadata": rm["metadata"], "spec": rm["spec"]}, d.file, d.line, name, ps.origin)
			out.Generated = append(out.Generated, a2)
			count++
		}
	}
	out.AppSets[name] = count
}

func generate(g map[string]interface{}, goTemplate bool, label string) ([]paramSet, map[string]interface{}) {
	tmpl, _ := g["template"].(map[string]interface{})
	if l, ok := g["list"].(map[string]interface{}); ok {
		if tmpl == nil {
			tmpl, _ = l["template"].(map[string]interface{})
		}
		var sets []paramSet
		els, _ := l["elements"].([]interface{})
		for i, e := range els {
			em, _ := e.(map[string]interface{})
			ps := map[string]interface{}{}
			for k, v := range em {
				if goTemplate {
					ps[k] = v
				} else if s, ok := v.(string); ok {
					ps[k] = s
				} else {
					out.Problems = append(out.Problems, fmt.Sprintf("%s: list element %d key %s is not a string", label, i, k))
				}
			}
			sets = append(sets, paramSet{ps, fmt.Sprintf("element %d", i)})
		}
		return sets, tmpl
	}
	git, ok := g["git"].(map[string]interface{})
	if !ok {
		out.Problems = append(out.Problems, label+": unsupported generator")
		return nil, tmpl
	}
	tmpl, _ = git["template"].(map[string]interface{})
	prefix := str(git, "pathParamPrefix")
	values, _ := git["values"].(map[string]interface{})
	var sets []paramSet
	if dirs, ok := git["directories"].([]interface{}); ok {
		cands := gitDirs()
		for _, c := range cands {
			incl, excl := false, false
			for _, it := range dirs {
				im := it.(map[string]interface{})
				m, err := path.Match(str(im, "path"), c)
				if err != nil {
					out.Problems = append(out.Problems, label+": bad pattern "+str(im, "path"))
					continue
				}
				if m {
					if ex, _ := im["exclude"].(bool); ex {
						excl = true
					} else {
						incl = true
					}
				}
			}
			if incl && !excl {
				sets = append(sets, paramSet{dirParams(c, goTemplate, prefix), "dir " + c})
			}
		}
		for _, it := range dirs {
			im := it.(map[string]interface{})
			hit := false
			for _, c := range cands {
				if m, _ := path.Match(str(im, "path"), c); m {
					hit = true
				}
			}
			out.Matches[label+" dir "+str(im, "path")] = fmt.Sprint(hit)
		}
	}
	if fl, ok := git["files"].([]interface{}); ok {
		include := map[string]bool{}
		for _, it := range fl {
			im := it.(map[string]interface{})
			p := str(im, "path")
			if p == "" {
				p = "."
			}
			matched := gitLsFiles([]string{p})
			out.Matches[label+" files "+p] = fmt.Sprint(len(matched))
			if ex, _ := im["exclude"].(bool); ex {
				continue
			}
			for _, f := range matched {
				include[f] = true
			}
		}
		for _, it := range fl {
			im := it.(map[string]interface{})
			if ex, _ := im["exclude"].(bool); ex {
				for _, f := range gitLsFiles([]string{str(im, "path")}) {
					delete(include, f)
				}
			}
		}
		var names []string
		for f := range include {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			data, _ := os.ReadFile(filepath.Join(repo, f))
			var objs []map[string]interface{}
			var single map[string]interface{}
			if err := yaml.Unmarshal(data, &single); err == nil {
				objs = []map[string]interface{}{single}
			} else {
				var list []map[string]interface{}
				if err2 := yaml.Unmarshal(data, &list); err2 != nil {
					out.Problems = append(out.Problems, fmt.Sprintf("%s: unable to process file '%s': %v", label, f, err))
					continue
				}
				objs = list
			}
			for _, o := range objs {
				sets = append(sets, paramSet{fileParams(f, o, goTemplate, prefix), "file " + f})
			}
		}
	}
	if len(values) > 0 {
		for i := range sets {
			vals := map[string]interface{}{}
			for k, v := range values {
				s, err := renderString(fmt.Sprint(v), sets[i].params, goTemplate, nil)
				if err != nil {
					out.Problems = append(out.Problems, label+": values: "+err.Error())
				}
				if goTemplate {
					vals[k] = s
				} else {
					sets[i].params["values."+k] = s
				}
			}
			if goTemplate {
				sets[i].params["values"] = vals
			}
		}
	}
	return sets, tmpl
}

func dirParams(p string, goTemplate bool, prefix string) map[string]interface{} {
	segs := strings.Split(p, "/")
	base := path.Base(p)
	if goTemplate {
		pm := map[string]interface{}{"path": p, "basename": base, "basenameNormalized": sanitizeName(base), "segments": segs}
		if prefix != "" {
			return map[string]interface{}{prefix: map[string]interface{}{"path": pm}}
		}
		return map[string]interface{}{"path": pm}
	}
	k := "path"
	if prefix != "" {
		k = prefix + ".path"
	}
	res := map[string]interface{}{k: p, k + ".basename": base, k + ".basenameNormalized": sanitizeName(base)}
	for i, s := range segs {
		res[fmt.Sprintf("%s[%d]", k, i)] = s
	}
	return res
}

func fileParams(f string, o map[string]interface{}, goTemplate bool, prefix string) map[string]interface{} {
	dir := path.Dir(f)
	segs := strings.Split(dir, "/")
	base := path.Base(dir)
	fn := path.Base(f)
	res := map[string]interface{}{}
	if goTemplate {
		for k, v := range o {
			res[k] = v
		}
		pm := map[string]interface{}{"path": dir, "basename": base, "filename": fn, "basenameNormalized": sanitizeName(base), "filenameNormalized": sanitizeName(fn), "segments": segs}
		if prefix != "" {
			res[prefix] = map[string]interface{}{"path": pm}
		} else {
			res["path"] = pm
		}
		return res
	}
	flatten("", o, res)
	k := "path"
	if prefix != "" {
		k = prefix + ".path"
	}
	res[k] = dir
	res[k+".basename"] = base
	res[k+".filename"] = fn
	res[k+".basenameNormalized"] = sanitizeName(base)
	res[k+".filenameNormalized"] = sanitizeName(fn)
	for i, s := range segs {
		res[fmt.Sprintf("%s[%d]", k, i)] = s
	}
	return res
}

func flatten(prefix string, v interface{}, res map[string]interface{}) {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, x := range t {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, x, res)
		}
	case []interface{}:
		for i, x := range t {
			flatten(fmt.Sprintf("%s.%d", prefix, i), x, res)
		}
	default:
		res[prefix] = fmt.Sprintf("%v", t)
	}
}

// mergeTemplate: generator template fields win when non-empty; empty ones come from the spec
// template (mergo.Merge without override).
func mergeTemplate(dst map[string]interface{}, src map[string]interface{}) map[string]interface{} {
	if dst == nil {
		return deepCopy(src).(map[string]interface{})
	}
	for k, sv := range src {
		dv, ok := dst[k]
		if !ok || isEmpty(dv) {
			dst[k] = deepCopy(sv)
			continue
		}
		dm, ok1 := dv.(map[string]interface{})
		sm, ok2 := sv.(map[string]interface{})
		if ok1 && ok2 {
			dst[k] = mergeTemplate(dm, sm)
		}
	}
	return dst
}

func isEmpty(v interface{}) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case map[string]interface{}:
		return len(t) == 0
	case []interface{}:
		return len(t) == 0
	case bool:
		return !t
	}
	return false
}

func mergePatch(dst interface{}, patch interface{}) interface{} {
	pm, ok := patch.(map[string]interface{})
	if !ok {
		return patch
	}
	dm, ok := dst.(map[string]interface{})
	if !ok {
		dm = map[string]interface{}{}
	}
	for k, v := range pm {
		if v == nil {
			delete(dm, k)
			continue
		}
		dm[k] = mergePatch(dm[k], v)
	}
	return dm
}

func deepCopy(v interface{}) interface{} {
	b, _ := json.Marshal(v)
	var r interface{}
	_ = json.Unmarshal(b, &r)
	if r == nil {
		return map[string]interface{}{}
	}
	return r
}

func renderAll(v interface{}, params map[string]interface{}, goTemplate bool, opts []string) (interface{}, error) {
	switch t := v.(type) {
	case string:
		return renderString(t, params, goTemplate, opts)
	case map[string]interface{}:
		res := map[string]interface{}{}
		for k, x := range t {
			nk, err := renderString(k, params, goTemplate, opts)
			if err != nil {
				return nil, err
			}
			nv, err := renderAll(x, params, goTemplate, opts)
			if err != nil {
				return nil, err
			}
			res[nk] = nv
		}
		return res, nil
	case []interface{}:
		res := make([]interface{}, len(t))
		for i, x := range t {
			nv, err := renderAll(x, params, goTemplate, opts)
			if err != nil {
				return nil, err
			}
			res[i] = nv
		}
		return res, nil
	}
	return v, nil
}

var legacyTag = regexp.MustCompile(`\{\{(.*?)\}\}`)

func renderString(s string, params map[string]interface{}, goTemplate bool, opts []string) (string, error) {
	if !goTemplate {
		if !strings.Contains(s, "{{") {
			return s, nil
		}
		return legacyTag.ReplaceAllStringFunc(s, func(tag string) string {
			k := strings.TrimSpace(tag[2 : len(tag)-2])
			if v, ok := params[k].(string); ok {
				return v
			}
			return tag
		}), nil
	}
	t := template.New("").Funcs(funcMap())
	for _, o := range opts {
		t = t.Option(o)
	}
	t, err := t.Parse(s)
	if err != nil {
		return "", fmt.Errorf("failed to parse template %s: %w", s, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, params); err != nil {
		return "", fmt.Errorf("failed to execute go template %s: %w", s, err)
	}
	return buf.String(), nil
}

func funcMap() template.FuncMap {
	m := sprig.GenericFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	m["normalize"] = sanitizeName
	m["toYaml"] = func(v interface{}) (string, error) {
		b, err := yaml.Marshal(v)
		return strings.TrimSuffix(string(b), "\n"), err
	}
	m["fromYaml"] = func(s string) (map[string]interface{}, error) {
		r := map[string]interface{}{}
		err := yaml.Unmarshal([]byte(s), &r)
		return r, err
	}
	return template.FuncMap(m)
}

var invalidDNSNameChars = regexp.MustCompile("[^-a-z0-9.]")

func sanitizeName(name string) string {
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

func appFrom(obj map[string]interface{}, file string, line int, appset, origin string) app {
	a := app{File: file, Line: line, AppSet: appset, Origin: origin}
	a.Name = str(mapAt(obj, "metadata"), "name")
	spec := mapAt(obj, "spec")
	if spec == nil {
		return a
	}
	a.Project = str(spec, "project")
	a.Namespace = str(mapAt(spec, "destination"), "namespace")
	if srcs, ok := spec["sources"].([]interface{}); ok && len(srcs) > 0 {
		a.Sources = srcs
	} else if s, ok := spec["source"].(map[string]interface{}); ok {
		a.Sources = []interface{}{s}
	}
	return a
}

type srcCheck struct {
	App    string   `json:"app"`
	Path   string   `json:"path"`
	Type   string   `json:"type"`
	Files  int      `json:"files,omitempty"`
	Issues []string `json:"issues,omitempty"`
}

func isSelf(s map[string]interface{}) bool { return selfRepo.MatchString(str(s, "repoURL")) }

// checkSources looks at each source of app that points into this repository.
func checkSources(a app) []srcCheck {
	var res []srcCheck
	refs := map[string]map[string]interface{}{}
	for _, x := range a.Sources {
		if s, ok := x.(map[string]interface{}); ok && str(s, "ref") != "" {
			refs[str(s, "ref")] = s
		}
	}
	for _, x := range a.Sources {
		s, ok := x.(map[string]interface{})
		if !ok {
			continue
		}
		c := srcCheck{App: a.Name}
		var valueFiles []interface{}
		if h := mapAt(s, "helm"); h != nil {
			valueFiles, _ = h["valueFiles"].([]interface{})
		}
		for _, v := range valueFiles {
			vf := fmt.Sprint(v)
			var p string
			if strings.HasPrefix(vf, "$") {
				ref := strings.SplitN(vf[1:], "/", 2)
				rs, ok := refs[ref[0]]
				if !ok {
					c.Issues = append(c.Issues, "value file "+vf+": no source with ref "+ref[0])
					continue
				}
				if !isSelf(rs) || len(ref) < 2 {
					continue
				}
				p = ref[1]
			} else if isSelf(s) && str(s, "chart") == "" {
				p = path.Join(str(s, "path"), vf)
			} else {
				continue
			}
			if _, err := os.Stat(filepath.Join(repo, p)); err != nil {
				c.Issues = append(c.Issues, "value file "+vf+" does not exist ("+p+")")
			}
		}
		if !isSelf(s) || str(s, "chart") != "" || str(s, "ref") != "" && str(s, "path") == "" {
			if len(c.Issues) > 0 {
				res = append(res, c)
			}
			continue
		}
		dir := path.Clean(str(s, "path"))
		c.Path = dir
		st, err := os.Stat(filepath.Join(repo, dir))
		if err != nil || !st.IsDir() {
			c.Type = "missing"
			c.Issues = append(c.Issues, "source path "+str(s, "path")+" does not exist")
			res = append(res, c)
			continue
		}
		var inDir, direct []string
		for _, f := range gitLsFiles([]string{":(literal)" + dir}) {
			if !strings.HasPrefix(f, dir+"/") && dir != "." {
				continue
			}
			rel := strings.TrimPrefix(f, dir+"/")
			inDir = append(inDir, rel)
			if !strings.Contains(rel, "/") {
				direct = append(direct, rel)
			}
		}
		c.Type = "directory"
		for _, n := range direct {
			if n == "kustomization.yaml" || n == "kustomization.yml" || n == "Kustomization" {
				c.Type = "kustomize"
			}
		}
		if c.Type == "directory" {
			for _, n := range direct {
				if n == "Chart.yaml" {
					c.Type = "helm"
				}
			}
		}
		if c.Type == "directory" {
			d := mapAt(s, "directory")
			recurse := false
			include, exclude := "", ""
			if d != nil {
				recurse, _ = d["recurse"].(bool)
				include, exclude = str(d, "include"), str(d, "exclude")
			}
			files := direct
			if recurse {
				files = inDir
			}
			for _, f := range files {
				ext := path.Ext(f)
				if ext != ".yaml" && ext != ".yml" && ext != ".json" {
					continue
				}
				if include != "" && !braceMatch(include, f) || exclude != "" && braceMatch(exclude, f) {
					continue
				}
				c.Files++
				c.Issues = append(c.Issues, notObjects(path.Join(dir, f))...)
			}
			if c.Files == 0 {
				c.Issues = append(c.Issues, "no manifest file")
			}
		}
		res = append(res, c)
	}
	return res
}

// braceMatch: Argo CD matches directory include/exclude with a glob that allows {a,b}.
func braceMatch(pattern, name string) bool {
	alts := []string{pattern}
	if strings.HasPrefix(pattern, "{") && strings.HasSuffix(pattern, "}") {
		alts = strings.Split(pattern[1:len(pattern)-1], ",")
	}
	for _, a := range alts {
		if ok, _ := path.Match(a, name); ok {
			return true
		}
	}
	return false
}

// notObjects decodes a manifest file as gitops-engine's kube.SplitYAML does and names every
// document that Argo CD could not apply (no apiVersion or kind, or not decodable).
func notObjects(f string) []string {
	data, err := os.ReadFile(filepath.Join(repo, f))
	if err != nil {
		return []string{f + ": " + err.Error()}
	}
	var res []string
	d := kubeyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for i := 1; ; i++ {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err != io.EOF {
				res = append(res, fmt.Sprintf("%s: %v", f, err))
			}
			return res
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		var u map[string]interface{}
		if err := yaml.Unmarshal(raw, &u); err != nil {
			res = append(res, fmt.Sprintf("%s doc %d: %v", f, i, err))
			continue
		}
		if str(u, "apiVersion") == "" || str(u, "kind") == "" {
			res = append(res, fmt.Sprintf("%s doc %d: not a Kubernetes object (no apiVersion/kind)", f, i))
		}
	}
}
