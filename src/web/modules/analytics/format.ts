import type { FigureKey, FigureUnit } from './analytics.api.ts';

// How a figure is written and whether a change of it is good news. The definitions themselves come from the server
// (each Figure carries its Russian definition); here is only the reading.

const NBSP = '\u00a0';
const int = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A share 0…1 as a percentage with one decimal: 0.8333 → «83,3 %». */
export const formatShare = (v: number) => `${one.format(v * 100)}${NBSP}%`;

/** Hours with one decimal: 4.45 → «4,5 ч». */
export const formatHours = (v: number) => `${one.format(v)}${NBSP}ч`;

export const formatCount = (v: number) => int.format(v);

/** The value as shown on the page; «—» when there is nothing to compute over. */
export function formatValue(value: number | null, unit: FigureUnit): string {
  if (value === null) return '—';
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'share':
      return formatShare(value);
    case 'hours':
    case 'working_hours':
      return formatHours(value);
  }
}

/** The unit in words, for a tile's small print. */
export const UNIT_NOTES: Record<FigureUnit, string> = {
  count: '',
  share: '',
  hours: 'календарные часы',
  working_hours: 'рабочие часы',
};

/**
 * Which way is better: more answered and on time is good, more overdue, slower or reopened is bad; the volume of
 * cases received (and how they came) is neither.
 */
export const BETTER_WHEN: Record<FigureKey, 'up' | 'down' | null> = {
  received: null,
  answered: 'up',
  onTimeShare: 'up',
  overdueNow: 'down',
  reactionHoursMean: 'down',
  reactionHoursMedian: 'down',
  reactionHoursP90: 'down',
  reactionWorkHoursMean: 'down',
  reactionWorkHoursMedian: 'down',
  reactionWorkHoursP90: 'down',
  resolutionHoursMean: 'down',
  resolutionHoursMedian: 'down',
  resolutionHoursP90: 'down',
  resolutionWorkHoursMean: 'down',
  resolutionWorkHoursMedian: 'down',
  resolutionWorkHoursP90: 'down',
  satisfaction: 'up',
  rated: null,
  reopenRate: 'down',
  redirectedShare: null,
  repeat: 'down',
  converted: null,
  incidents: null,
  incidentReactionHoursMean: 'down',
  incidentReactionHoursMedian: 'down',
  incidentReactionHoursP90: 'down',
};

/** Figures of the present moment: the period does not change them, so they have nothing to be compared with. */
export const NOW_FIGURES: ReadonlySet<FigureKey> = new Set(['overdueNow']);

export interface Change {
  direction: 'up' | 'down' | 'same';
  /** good / bad by the figure's meaning; neutral when neither (or nothing changed). */
  tone: 'good' | 'bad' | 'neutral';
  /** «+3 (+25 %)», «−4,5 п. п.», «+1,2 ч», «без изменений». */
  text: string;
  /** For screen readers: «больше на 3, лучше». */
  words: string;
}

const signed = (n: number, f: (x: number) => string) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${f(Math.abs(n))}`;

/** The change from `before` to `now` in the figure's unit, or null when either is missing. */
export function changeOf(key: FigureKey, unit: FigureUnit, now: number | null, before: number | null): Change | null {
  if (now === null || before === null || NOW_FIGURES.has(key)) return null;
  let diff = now - before;
  let text: string;
  switch (unit) {
    case 'count':
      text = signed(diff, formatCount);
      if (before > 0 && diff !== 0) text += ` (${signed(Math.round((diff / before) * 100), formatCount)}${NBSP}%)`;
      break;
    case 'share':
      // Percentage points: the difference of the two values as shown (one decimal), so it adds up on the page.
      diff = (Math.round(now * 1000) - Math.round(before * 1000)) / 10;
      text = `${signed(diff, (x) => one.format(x))}${NBSP}п.${NBSP}п.`;
      break;
    default:
      diff = (Math.round(now * 10) - Math.round(before * 10)) / 10;
      text = signed(diff, (x) => `${one.format(x)}${NBSP}ч`);
  }
  const direction = diff > 0 ? 'up' : diff < 0 ? 'down' : 'same';
  if (direction === 'same') return { direction, tone: 'neutral', text: 'без изменений', words: 'без изменений' };
  const better = BETTER_WHEN[key];
  const tone = better === null ? 'neutral' : better === direction ? 'good' : 'bad';
  const words = `${direction === 'up' ? 'больше' : 'меньше'}${tone === 'good' ? ', это лучше' : tone === 'bad' ? ', это хуже' : ''}`;
  return { direction, tone, text, words };
}
