import { loadConfig } from './core/config.ts';
import { type DatabaseHandle, openDatabase } from './core/db/index.ts';

/** Runs a CLI command against the same database the server uses (DATABASE_URL or OTKLIK_DATA_DIR), then closes it. */
export async function withDatabase<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}
