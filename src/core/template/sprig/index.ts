/**
 * The function map Argo CD gives ApplicationSet Go templates: sprig v3.3.0's GenericFuncMap
 * without env, expandenv and getHostByName, plus normalize, slugify, toYaml, fromYaml and
 * fromYamlArray (applicationset/utils/utils.go).
 */
import { GoFuncDef, GoFuncMap } from '../value';
import { argoCdOwnFuncs } from './argocd';
import { cryptoFuncs } from './crypto';
import { dateFuncs } from './dates';
import { defaultFuncs } from './defaults';
import { dictFuncs } from './dicts';
import { encodingFuncs } from './encoding';
import { listFuncs } from './lists';
import { mathFuncs } from './math';
import { pathFuncs } from './paths';
import { regexFuncs } from './regex';
import { semverFuncs } from './semver';
import { stringFuncs } from './strings';
import { urlFuncs } from './url';
import { yamlFuncs } from './yaml';

/**
 * Every name Argo CD registers: the keys of sprig v3.3.0's genericMap (functions.go), minus the
 * `env`, `expandenv` and `getHostByName` Argo CD deletes, plus the `normalize`, `slugify`,
 * `toYaml`, `fromYaml` and `fromYamlArray` it adds (applicationset/utils/utils.go, init()).
 * `push` and `mustPush` are easy to miss there: sprig registers them on the same source line as
 * `append`/`mustAppend` (`"append": push, "push": push,`).
 */
export const ARGOCD_FUNCTION_NAMES: readonly string[] = (
  'hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate htmlDateInZone ' +
  'must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth trunc trim upper lower title ' +
  'untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii ' +
  'randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote ' +
  'cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int64 int float64 seq ' +
  'toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf ' +
  'mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact ' +
  'fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy ' +
  'mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual base dir clean ext isAbs osBase osClean osDir osExt ' +
  'osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge mergeOverwrite ' +
  'mustMerge mustMergeOverwrite values append mustAppend prepend mustPrepend first mustFirst rest mustRest last ' +
  'mustLast initial mustInitial reverse mustReverse uniq mustUniq without mustWithout has mustHas slice mustSlice ' +
  'concat dig chunk mustChunk bcrypt htpasswd genPrivateKey derivePassword buildCustomCert genCA genCAWithKey ' +
  'genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES randBytes ' +
  'uuidv4 semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind mustRegexFind ' +
  'regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral regexSplit mustRegexSplit ' +
  'regexQuoteMeta urlParse urlJoin normalize slugify toYaml fromYaml fromYamlArray push mustPush'
).split(' ');

const ALL: Record<string, GoFuncDef> = {
  ...stringFuncs,
  ...mathFuncs,
  ...listFuncs,
  ...dictFuncs,
  ...defaultFuncs,
  ...regexFuncs,
  ...encodingFuncs,
  ...pathFuncs,
  ...urlFuncs,
  ...semverFuncs,
  ...dateFuncs,
  ...cryptoFuncs,
  ...yamlFuncs,
  ...argoCdOwnFuncs,
};

/** A fresh map per call, so no caller can change another's functions. */
export function argoCdFuncs(): GoFuncMap {
  const m = new Map<string, GoFuncDef>();
  for (const name of ARGOCD_FUNCTION_NAMES) {
    const def = ALL[name];
    if (def === undefined) throw new Error(`sprig: no definition for ${name}`);
    m.set(name, def);
  }
  return m;
}
