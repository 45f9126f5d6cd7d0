/** A backup or restore that cannot go ahead: the message is one line a person can act on. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export type ArchiveKind = 'pglite' | 'pg_dump' | 'unknown';

/** Embedded backups are gzip'd tar files (PGlite's dumpDataDir); server backups are pg_dump's custom format. */
export function archiveKind(head: Uint8Array): ArchiveKind {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  if (Buffer.from(head.subarray(0, 5)).toString('latin1') === 'PGDMP') return 'pg_dump';
  return 'unknown';
}

export function timestamp(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, '-');
}
