import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Absent → embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  sessionSecret: string;
  logLevel: LogLevel;
  /** Demo mode: seed demo data at start, print demo credentials, log mail links instead of sending. */
  demo: boolean;
  /** Issue 5: the map's tile URL template ({z}/{x}/{y}) and its attribution; absent → no tiles, a plain background. */
  mapTileUrl?: string | undefined;
  mapTileAttribution?: string | undefined;
}

/** A bad setting: the message is one line naming the variable and what is expected. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function parsePort(env: Env): number {
  const raw = env.PORT;
  if (raw === undefined || raw === '') return 3000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new ConfigError('PORT', `expected an integer from 1 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function parseUrl(variable: string, raw: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, `not a valid URL: "${redact(raw)}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(variable, `expected a ${protocols.join(' or ')} URL, got "${url.protocol}"`);
  }
  return raw;
}

/** Never echo a password from a URL into logs. */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** SESSION_SECRET absent in embedded mode: generated once and kept in the data dir, so sessions survive restarts. */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env, options: { demo?: boolean } = {}): Config {
  const port = parsePort(env);
  const host = env.HOST || '0.0.0.0';
  const databaseUrl = env.DATABASE_URL ? parseUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']) : undefined;
  const dataDir = path.resolve(env.OTKLIK_DATA_DIR || './data');
  const publicUrl = env.PUBLIC_URL
    ? parseUrl('PUBLIC_URL', env.PUBLIC_URL, ['http:', 'https:']).replace(/\/+$/, '')
    : `http://localhost:${port}`;
  const smtpUrl = env.SMTP_URL ? parseUrl('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']) : undefined;
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  let sessionSecret = env.SESSION_SECRET;
  if (sessionSecret !== undefined && sessionSecret !== '' && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', `must be at least 32 characters, got ${sessionSecret.length}`);
  }
  if (!sessionSecret) {
    if (databaseUrl) {
      throw new ConfigError('SESSION_SECRET', 'required when DATABASE_URL is set (at least 32 random characters)');
    }
    sessionSecret = loadOrCreateSecret(dataDir);
  }
  const mapTileUrl = env.MAP_TILE_URL ? parseTileUrl(env.MAP_TILE_URL) : undefined;
  const mapTileAttribution = env.MAP_TILE_ATTRIBUTION || undefined;
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    publicUrl,
    smtpUrl,
    sessionSecret,
    logLevel,
    demo: options.demo ?? false,
    ...(mapTileUrl && { mapTileUrl }),
    ...(mapTileAttribution && { mapTileAttribution }),
  };
}

/** MAP_TILE_URL: an http(s) template with {z}, {x} and {y}, e.g. https://tile.example.ru/{z}/{x}/{y}.png. */
function parseTileUrl(raw: string): string {
  if (!/^https?:\/\//.test(raw) || !['{z}', '{x}', '{y}'].every((p) => raw.includes(p))) {
    throw new ConfigError('MAP_TILE_URL', `expected an http(s) URL template with {z}, {x} and {y}, got "${raw}"`);
  }
  return raw;
}
