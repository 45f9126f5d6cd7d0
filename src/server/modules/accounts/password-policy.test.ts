import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/http/errors.ts';
import { assertPasswordAcceptable } from './password-policy.ts';

describe('password policy', () => {
  // [password, personal data, accepted?, reason fragment]
  const cases: Array<[string, string[], boolean, string?]> = [
    ['Сосновый-бор-17', [], true],
    ['correct horse battery', [], true],
    ['Ab1', [], false, 'at least 8'],
    ['x'.repeat(129), [], false, 'at most 128'],
    ['password123', [], false, 'too common'],
    ['ЙЦУКЕНГШ', [], false, 'too common'],
    ['aaaaaaaaaa', [], false, 'too common'],
    ['ivanova-2026!', ['ivanova@mail.ru'], false, 'name or e-mail'],
    ['Petrov-forever', ['a@b.ru', 'Петров', 'Petrov'], false, 'name or e-mail'],
    ['Ann-is-short-name', ['Ann'], true],
  ];
  for (const [password, personal, ok, reason] of cases) {
    test(`${password.slice(0, 20)} → ${ok ? 'accepted' : `refused (${reason})`}`, () => {
      if (ok) {
        assert.doesNotThrow(() => assertPasswordAcceptable(password, personal));
      } else {
        assert.throws(
          () => assertPasswordAcceptable(password, personal),
          (e: unknown) =>
            e instanceof AppError && e.details?.[0]?.field === 'password' && e.details[0].reason.includes(reason ?? ''),
        );
      }
    });
  }
});
