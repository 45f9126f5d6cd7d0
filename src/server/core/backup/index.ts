export { backupEmbedded, type EmbeddedRestoreResult, restoreEmbedded } from './embedded.ts';
export { archiveKind, BackupError } from './errors.ts';
export { backupServer, connectionFor, restoreServer, type ServerRestoreResult } from './server.ts';
