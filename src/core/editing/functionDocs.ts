/**
 * One line each for the template functions people reach for in ApplicationSets; the rest of
 * sprig's ~200 names are offered without a line rather than with a made-up one. Signatures as
 * sprig and Go document them.
 */
export const FUNCTION_DOCS: Readonly<Record<string, string>> = {
  // Go text/template builtins
  index: '`index MAP KEY` / `index LIST N`: the element at a key or position (`index .path.segments 3`).',
  len: '`len X`: the length of a string, list or map.',
  slice: '`slice LIST FROM TO`: part of a list or string.',
  printf: '`printf FORMAT ARGS…`: Go `fmt.Sprintf`.',
  print: '`print ARGS…`: Go `fmt.Sprint`.',
  eq: '`eq A B…`: true when A equals any of B….',
  ne: '`ne A B`: true when A and B differ.',
  and: '`and A B…`: the first empty argument, or the last one.',
  or: '`or A B…`: the first non-empty argument, or the last one.',
  not: '`not X`: the boolean negation of X.',
  // Argo CD's own
  normalize: '`normalize S`: S as a valid Kubernetes name (lower-case, invalid characters replaced by `-`, at most 253 characters).',
  slugify: '`slugify MAXLEN SMARTTRUNCATE S`: S as a URL-friendly slug (lower-case, `-` separated, cut at MAXLEN, default 50).',
  toYaml: '`toYaml X`: X as YAML text.',
  fromYaml: '`fromYaml S`: the map a YAML string holds.',
  fromYamlArray: '`fromYamlArray S`: the list a YAML string holds.',
  // sprig strings
  lower: '`lower S`: S in lower case.',
  upper: '`upper S`: S in upper case.',
  title: '`title S`: S in title case.',
  trim: '`trim S`: S without leading and trailing white space.',
  trimPrefix: '`trimPrefix PREFIX S`: S without PREFIX at its start.',
  trimSuffix: '`trimSuffix SUFFIX S`: S without SUFFIX at its end.',
  trunc: '`trunc N S`: the first N characters of S (the last -N when negative).',
  replace: '`replace OLD NEW S`: S with every OLD replaced by NEW.',
  contains: '`contains SUB S`: true when S contains SUB.',
  hasPrefix: '`hasPrefix PREFIX S`: true when S starts with PREFIX.',
  hasSuffix: '`hasSuffix SUFFIX S`: true when S ends with SUFFIX.',
  quote: '`quote S`: S in double quotes.',
  squote: '`squote S`: S in single quotes.',
  split: '`split SEP S`: a map `_0`, `_1`… of the parts of S.',
  splitList: '`splitList SEP S`: the list of the parts of S.',
  join: '`join SEP LIST`: the elements of LIST joined by SEP.',
  kebabcase: '`kebabcase S`: S in kebab-case.',
  snakecase: '`snakecase S`: S in snake_case.',
  camelcase: '`camelcase S`: S in CamelCase.',
  indent: '`indent N S`: every line of S indented by N spaces.',
  nindent: '`nindent N S`: a newline, then every line of S indented by N spaces.',
  regexReplaceAll: '`regexReplaceAll REGEX S REPL`: S with every match of REGEX replaced (`$1` for groups).',
  regexMatch: '`regexMatch REGEX S`: true when S matches REGEX.',
  // sprig defaults, lists, dicts, paths
  default: '`default DEFAULT X`: X, or DEFAULT when X is empty.',
  empty: '`empty X`: true when X is the zero value of its type.',
  coalesce: '`coalesce A B…`: the first non-empty argument.',
  ternary: '`ternary A B COND`: A when COND is true, else B.',
  toJson: '`toJson X`: X as JSON text.',
  fromJson: '`fromJson S`: the value a JSON string holds.',
  list: '`list A B…`: a list of the arguments.',
  dict: '`dict K1 V1 K2 V2…`: a map of the arguments.',
  get: '`get MAP KEY`: the value at KEY, or "".',
  hasKey: '`hasKey MAP KEY`: true when MAP has KEY.',
  dig: '`dig K1 K2… DEFAULT MAP`: the value at a nested key path, or DEFAULT.',
  first: '`first LIST`: the first element.',
  last: '`last LIST`: the last element.',
  base: '`base PATH`: the last element of a path.',
  dir: '`dir PATH`: all but the last element of a path.',
  b64enc: '`b64enc S`: S in base64.',
  b64dec: '`b64dec S`: the text a base64 string holds.',
  sha256sum: '`sha256sum S`: the SHA-256 of S, in hex.',
  toString: '`toString X`: X as a string.',
  atoi: '`atoi S`: the integer S holds.',
  add: '`add A B…`: the sum of the arguments.',
};

/** Go template actions that are keywords rather than functions. */
export const TEMPLATE_KEYWORDS: Readonly<Record<string, string>> = {
  if: '`{{if PIPELINE}} … {{else}} … {{end}}`',
  else: '`{{else}}` of an `if`, `range` or `with`',
  end: '`{{end}}` closes `if`, `range`, `with`',
  range: '`{{range $i, $x := LIST}} … {{end}}`',
  with: '`{{with PIPELINE}} … {{end}}`: dot is set to the value',
};
