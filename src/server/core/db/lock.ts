import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite takes no lock of its own: two processes that open one data dir each see only their own writes and
 * silently diverge. So the embedded data dir is held by one process at a time through a lock file naming the
 * holder (pid, and on Linux the boot id and the process start time, so a pid reused after a restart or a
 * container kill is not mistaken for the holder); a lock left by a dead process is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
    readonly holderCommand: string,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${holderPid} (${holderCommand}). ` +
        'Stop that process first, or point OTKLIK_DATA_DIR at another directory.',
    );
    this.name = 'DataDirLockedError';
  }
}

interface Holder {
  pid?: number;
  command?: string;
  since?: string;
  bootId?: string | null;
  startTime?: string | null;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const bootId = (): string | null => readOrNull('/proc/sys/kernel/random/boot_id')?.trim() ?? null;

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot (after the parenthesised command). */
function startTimeOf(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (!stat) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is the process named in the lock file still the one that wrote it? */
function holderIsLive(holder: Holder): boolean {
  if (typeof holder.pid !== 'number' || !isAlive(holder.pid)) return false;
  if (holder.bootId && bootId() && holder.bootId !== bootId()) return false;
  if (holder.startTime && startTimeOf(holder.pid) && holder.startTime !== startTimeOf(holder.pid)) return false;
  return true;
}

/** The data dirs this process holds: the in-process answer to "do I already hold it?". */
const held = new Set<string>();

export interface DataDirLock {
  release(): void;
}

export function acquireDataDirLock(dataDir: string, command = process.argv.slice(1).join(' ')): DataDirLock {
  const dir = path.resolve(dataDir);
  if (held.has(dir)) throw new DataDirLockedError(dir, process.pid, 'this process already holds it');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'otklik.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      const me: Holder = {
        pid: process.pid,
        command,
        since: new Date().toISOString(),
        bootId: bootId(),
        startTime: startTimeOf(process.pid),
      };
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(dir);
      const release = () => {
        if (!held.delete(dir)) return;
        process.removeListener('exit', release);
        try {
          const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
          if (holder.pid === process.pid) unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: Holder = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // A half-written or empty lock file: its writer died between open and write.
      }
      // Our own pid in the file while we hold nothing here: written before a restart that reused the pid.
      if (holder.pid !== process.pid && holderIsLive(holder)) {
        throw new DataDirLockedError(dir, holder.pid as number, holder.command ?? 'unknown command');
      }
      // Stale lock: take it over.
      try {
        unlinkSync(file);
      } catch {
        // another process took it over first; retry
      }
    }
  }
  throw new Error(`Could not acquire the lock on ${dir}`);
}
