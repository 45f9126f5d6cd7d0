import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits from the CSPRNG (ASVS 7.2.3 asks for at least 128). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a bearer token: its SHA-256, so a leaked table opens nothing. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
