import { ConfigError } from './types.ts';

/**
 * Small readers for a connector's settings: each throws ConfigError naming the field, and a field the connector
 * does not know is refused (a typo such as `owner` for `owners` would otherwise be silently ignored).
 */
export type Fields = Record<string, unknown>;

export function objectOf(input: unknown, known: readonly string[]): Fields {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('', 'must be an object');
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) throw new ConfigError(key, `unknown setting; known: ${known.join(', ')}`);
  }
  return input as Fields;
}

export function httpUrl(fields: Fields, name: string, fallback?: string): string {
  const v = fields[name] ?? fallback;
  if (typeof v !== 'string' || v.length > 2000) throw new ConfigError(name, 'must be an http(s) URL');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(name, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, 'must be an http(s) URL');
  if (url.username || url.password) throw new ConfigError(name, 'must not carry a user name or password');
  return v.replace(/\/+$/, '');
}

export function integer(fields: Fields, name: string, fallback: number, min: number, max: number): number {
  const v = fields[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}`);
  }
  return v;
}

export function number(fields: Fields, name: string, fallback: number, min: number, max: number): number {
  const v = fields[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(name, `must be a number from ${min} to ${max}`);
  }
  return v;
}

export function boolean(fields: Fields, name: string, fallback: boolean): boolean {
  const v = fields[name] ?? fallback;
  if (typeof v !== 'boolean') throw new ConfigError(name, 'must be true or false');
  return v;
}

export function stringOf(fields: Fields, name: string, fallback: string, pattern: RegExp, hint: string): string {
  const v = fields[name] ?? fallback;
  if (typeof v !== 'string' || !pattern.test(v)) throw new ConfigError(name, hint);
  return v;
}

/** A list without repeats (in the given order), each item checked. */
export function listOf<T>(fields: Fields, name: string, max: number, item: (v: unknown, field: string) => T): T[] {
  const v = fields[name] ?? [];
  if (!Array.isArray(v)) throw new ConfigError(name, 'must be a list');
  if (v.length > max) throw new ConfigError(name, `at most ${max} items`);
  const out: T[] = [];
  v.forEach((x, i) => {
    const parsed = item(x, `${name}.${i}`);
    if (!out.includes(parsed)) out.push(parsed);
  });
  return out;
}
