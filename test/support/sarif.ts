/**
 * A validator of SARIF 2.1.0 logs: the OASIS schema (test/fixtures/sarif, JSON Schema draft-04)
 * with the formats it names checked as RFC 3986 and RFC 3339 say (ajv ships no formats).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';

const SCHEMA = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;

// RFC 3986 syntax for the schema's uri and uri-reference formats.
const PCHARS = String.raw`(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})`;
const URI_REFERENCE = new RegExp(String.raw`^${PCHARS}*(?:#${PCHARS}*)?$`);
const URI = new RegExp(String.raw`^[A-Za-z][A-Za-z0-9+.\-]*:${PCHARS}*(?:#${PCHARS}*)?$`);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

export function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', URI);
  ajv.addFormat('uri-reference', URI_REFERENCE);
  ajv.addFormat('date-time', DATE_TIME);
  return ajv.compile(SCHEMA);
}

