/**
 * Recomputes the golden tables of test/unit/template with Go (test/oracle/goldens.ts) and says
 * which differ; `--write` rewrites them. Needs Go (the first run fetches modules through the Go
 * module proxy, pinned by go.sum).
 *
 *   npx tsx scripts/goldens.ts [--write]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { regenerateGoldens, tableTexts } from '../test/oracle/goldens';

void (async () => {
  const write = process.argv.includes('--write');
  const texts = tableTexts(await regenerateGoldens());
  let differ = 0;
  for (const [file, text] of texts) {
    const same = fs.readFileSync(file, 'utf8') === text;
    if (!same) differ++;
    if (write && !same) fs.writeFileSync(file, text);
    console.log(`${path.relative(process.cwd(), file)}: ${same ? 'as Go prints it' : write ? 'rewritten from Go' : 'differs from what Go prints (--write rewrites it)'}`);
  }
  if (differ && !write) process.exitCode = 1;
})().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
