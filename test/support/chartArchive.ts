/**
 * Packs a folder into a chart archive the way `helm package` lays it out (a gzip'd ustar with
 * every file under one top folder), so tests can fill a chart cache without helm or the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ChartRef, ChartStore } from '../../src/core/charts';

function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 1 - 0);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A .tgz of `files` (path → content) under the folder `top`. */
export function packChart(top: string, files: ReadonlyMap<string, Buffer | string>): Buffer {
  const parts: Buffer[] = [];
  for (const [rel, content] of files) {
    const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
    parts.push(header(`${top}/${rel}`, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** Every file below a folder, by path relative to it. */
export function folderFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return out;
}

/** A fixture chart folder packed as helm would package it. */
export function packFixtureChart(dir: string): Buffer {
  return packChart(path.basename(dir), folderFiles(dir));
}

export const CHART_FIXTURES = path.resolve(__dirname, '../fixtures/charts');

/** A chart cache in memory: the fixture charts packed as `helm pull` would store them. */
export function fixtureStore(charts: Array<{ repo: string; dir: string; version: string; name?: string }>): ChartStore & { asked: string[] } {
  const byKey = new Map<string, Buffer>();
  for (const c of charts) byKey.set(`${c.repo}|${c.name ?? path.basename(c.dir)}|${c.version}`, packFixtureChart(path.join(CHART_FIXTURES, c.dir)));
  const asked: string[] = [];
  return {
    asked,
    get(ref: ChartRef) {
      asked.push(`${ref.repo}|${ref.name}|${ref.version}`);
      return byKey.get(`${ref.repo}|${ref.name}|${ref.version}`);
    },
    describe: () => 'the test cache',
  };
}

