/**
 * The file-system calls the engine makes, behind an interface so that tests and other hosts can
 * supply their own, and the one Node implementation. Reading is where a repository can hurt:
 * a file named `values.yaml` may be a FIFO (opening it blocks forever), a link to /dev/zero
 * (reading it never ends) or 3 GB of logs. So files are opened without blocking, checked to be
 * regular files on the opened descriptor (no window for a swap between check and read), and
 * read up to a bound.
 */
import * as nodeFs from 'node:fs';

export interface TreeFs {
  readdir(abs: string): nodeFs.Dirent[];
  stat(abs: string): nodeFs.Stats;
  lstat(abs: string): nodeFs.Stats;
  realpath(abs: string): string;
  /**
   * A regular file's bytes. Must refuse anything else (FIFO, device, socket, folder) with an
   * error whose `code` is `ENOTREG`. With `maxBytes`, a file whose size is over it is refused
   * with `EFBIG` before anything is read, and at most `maxBytes + 1` bytes are returned (a
   * file sized 0 that has content, as in /proc). With `head` as well, a larger file is not refused: its first
   * `maxBytes` bytes are returned.
   */
  readFile(abs: string, maxBytes?: number, head?: boolean): Buffer;
  /** Whether a path exists; lets optional files be skipped without an exception per lookup. */
  exists?(abs: string): boolean;
  /** A folder's entry names as bytes: asked only when a name did not decode as UTF-8. */
  readdirRaw?(abs: string): Buffer[];
}

/** What a special file is, for messages ("special file (FIFO)"). */
export function describeSpecial(st: nodeFs.Stats): string {
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  if (st.isDirectory()) return 'folder';
  return 'not a regular file';
}

export interface FsError extends Error {
  code: string;
  /** EFBIG: the file's size. */
  size?: number;
}

export function fsError(code: string, message: string, extra: { size?: number } = {}): FsError {
  return Object.assign(new Error(message), { code }, extra);
}

const OPEN_FLAGS = nodeFs.constants.O_RDONLY | (nodeFs.constants.O_NONBLOCK ?? 0);
const CHUNK = 64 * 1024;

function readRegularFile(abs: string, maxBytes?: number, head = false): Buffer {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it changes nothing
  // for regular files.
  const fd = nodeFs.openSync(abs, OPEN_FLAGS);
  try {
    const st = nodeFs.fstatSync(fd);
    if (!st.isFile()) throw fsError('ENOTREG', `special file (${describeSpecial(st)})`);
    if (maxBytes === undefined) return nodeFs.readFileSync(fd);
    if (st.size > maxBytes && !head) throw fsError('EFBIG', `the file is ${st.size} bytes`, { size: st.size });
    const limit = head ? maxBytes : maxBytes + 1;
    // The size fstat gives, like readFileSync (what is appended meanwhile is not read); a file
    // sized 0 may still have content (/proc): read in chunks, up to the bound.
    const sized = st.size > 0;
    let buf = Buffer.allocUnsafe(sized ? Math.min(limit, st.size) : Math.min(limit, CHUNK));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (sized || total >= limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(limit, total + CHUNK));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = nodeFs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    return total === buf.length ? buf : buf.subarray(0, total);
  } finally {
    nodeFs.closeSync(fd);
  }
}

export const nodeTreeFs: TreeFs = {
  readdir: (abs) => nodeFs.readdirSync(abs, { withFileTypes: true }),
  stat: (abs) => nodeFs.statSync(abs),
  lstat: (abs) => nodeFs.lstatSync(abs),
  realpath: (abs) => nodeFs.realpathSync(abs),
  readFile: readRegularFile,
  exists: (abs) => nodeFs.existsSync(abs),
  readdirRaw: (abs) => nodeFs.readdirSync(abs, { encoding: 'buffer' }),
};
