/**
 * semver/semverCompare (Masterminds/semver v3.3.0) are not evaluated offline yet: a
 * `*semver.Version` needs method calls (`.Major`) and Stringer printing that the template
 * engine does not model, and a half-right constraint checker would silently pick the wrong
 * branch of a template.
 */
import { GoFuncDef } from '../value';
import { notSupported } from './crypto';

export const semverFuncs: Record<string, GoFuncDef> = {
  semver: { params: ['string'], fn: () => notSupported('semver') },
  semverCompare: { params: ['string', 'string'], fn: () => notSupported('semverCompare') },
};
