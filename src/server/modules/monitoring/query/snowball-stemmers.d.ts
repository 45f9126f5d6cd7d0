// snowball-stemmers 0.6.0 ships no types: the part of its surface we use (snowball-stemmers.js, a UMD module whose
// exports Node's ESM loader detects by name, so `import * as` works from ESM and from CJS alike).
declare module 'snowball-stemmers' {
  export interface SnowballStemmer {
    /** Stems one lower-case word. Stateful but synchronous: one call at a time is all JS allows. */
    stem(word: string): string;
  }
  export function newStemmer(language: string): SnowballStemmer;
  export function algorithms(): string[];
}
