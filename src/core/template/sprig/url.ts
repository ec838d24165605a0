/**
 * urlParse/urlJoin follow Go's net/url parser and URL.String escaping rules; not evaluated
 * offline yet rather than approximated.
 */
import { GoFuncDef } from '../value';
import { notSupported } from './crypto';

export const urlFuncs: Record<string, GoFuncDef> = {
  urlParse: { params: ['string'], fn: () => notSupported('urlParse') },
  urlJoin: { params: ['map[string]interface {}'], fn: () => notSupported('urlJoin') },
};
