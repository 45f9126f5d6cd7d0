import { foldLatinLookAlikes, mixesLatinAndCyrillic } from '../look-alikes.ts';

/**
 * A post's words for near-duplicate grouping: what a repost or a copy-paste storm changes is dropped — links, user
 * mentions, the «Репост:»/«Переслано от» marker, emoji and punctuation, letter case, ё, stress marks, Latin letters
 * mixed into Cyrillic words (bots vary them to dodge filters). What tells complaints apart is kept: words and numbers
 * (house numbers, dates). Hashtags keep their word.
 */
const URL =
  /\bhttps?:\/\/\S+|\bwww\.\S+|\b(?:[a-z0-9-]+\.)+(?:ru|su|com|net|org|me|info|io|online|site)\b(?:\/\S*)?|(?:[а-яё0-9-]+\.)+рф(?:\/\S*)?/gi;
/** VK mentions «[id123|Имя]», «[club1|Название]» keep the display name; «@handle» goes. */
const VK_MENTION = /\[(?:id|club|public|event)\d+\|([^\]]*)\]/g;
const HANDLE = /@[\w.]+/g;
const WORD = /[\p{L}\p{N}]+/gu;
/** Combining marks of Latin and Cyrillic (stress marks, a decomposed й's breve already composed by NFC). */
const MARKS = /[\u0300-\u036f\u0483-\u0489]/g;
/** Words that mark a repost at the start of a post, and the words that may follow them («Переслано от»). */
const REPOST_MARKERS = new Set(['репост', 'repost', 'переслано', 'пересланное', 'forwarded', 'fwd', 'rt']);
const AFTER_MARKER = new Set(['от', 'from', 'сообщение', 'message', 'из']);

/** The longest text looked at: 4,000 words are more than any real post; a 10 MB one costs no more than that. */
export const MAX_WORDS = 4000;

export function groupingWords(text: string): string[] {
  let cleaned = text.slice(0, MAX_WORDS * 40).normalize('NFC');
  // The regular expressions run only when their first character is there: most posts have no link or mention.
  if (cleaned.includes('[')) cleaned = cleaned.replace(VK_MENTION, ' $1 ');
  if (cleaned.includes('.')) cleaned = cleaned.replace(URL, ' ');
  if (cleaned.includes('@')) cleaned = cleaned.replace(HANDLE, ' ');
  cleaned = cleaned.replace(MARKS, '');
  const words: string[] = [];
  for (const m of cleaned.matchAll(WORD)) {
    let w = m[0];
    if (mixesLatinAndCyrillic(w)) w = foldLatinLookAlikes(w);
    words.push(w.toLowerCase().replaceAll('ё', 'е'));
    if (words.length >= MAX_WORDS) break;
  }
  let skip = 0;
  if (REPOST_MARKERS.has(words[0] ?? '')) {
    skip = 1;
    while (skip < words.length && AFTER_MARKER.has(words[skip]!)) skip++;
  }
  return skip ? words.slice(skip) : words;
}
