import { PASSWORD_MAX, PASSWORD_MIN } from '../../../shared/limits.ts';
import { invalid } from '../../core/http/errors.ts';

// ASVS 6.2: length over composition rules; refuse the few passwords every attacker tries first and ones built
// from the user's own name or address.
const COMMON = new Set([
  'password',
  'password1',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyui',
  'qwerty123',
  'йцукенгш',
  'iloveyou',
  '11111111',
  '00000000',
  'abc12345',
  'admin123',
  'пароль123',
  'qwertyuiop',
  'password123',
]);

export function assertPasswordAcceptable(password: string, personal: string[] = []): void {
  if (password.length < PASSWORD_MIN) throw invalid('password', `must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw invalid('password', `must be at most ${PASSWORD_MAX} characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) throw invalid('password', 'is too common; choose another');
  for (const p of personal) {
    const part = p.toLowerCase().split('@')[0] ?? '';
    if (part.length >= 4 && lower.includes(part)) throw invalid('password', 'must not contain your name or e-mail');
  }
}
