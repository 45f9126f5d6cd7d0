// A small document model for official documents (reports, protocols) rendered to DOCX (docx.ts) and PDF (pdf.ts).
// Layout follows the national standard for official documents, ГОСТ Р 7.0.97 «Организационно-распорядительная
// документация. Требования к оформлению документов» (2016, replaced by the 2025 edition from 18.08.2025 with the same
// layout rules used here): A4, margins of at least 20 mm left, 10 mm right, 20 mm top and bottom, page numbers in the
// middle of the top margin from the second page on, the approval stamp («гриф утверждения», «УТВЕРЖДАЮ») in the top
// right corner, body text of 12–14 pt.

export type Align = 'left' | 'center' | 'right' | 'justify';

/** A piece of text in a paragraph: plain, or bold and/or italic. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}
export type Inline = string | Run;

export interface Heading {
  kind: 'heading';
  /** 1: a section («1. Обращения граждан»), 2: a subsection, 3: a minor heading. */
  level: 1 | 2 | 3;
  text: string;
  align?: Align;
}

export interface Paragraph {
  kind: 'paragraph';
  runs: Inline[];
  /** Default: justify with a first-line indent (the body text of an official document). */
  align?: Align;
  /** First-line indent of 1.25 cm (the usual «абзацный отступ»); default true for justified text. */
  indent?: boolean;
  /** Font size in points (default: the document's body size). */
  size?: number;
  /** Space after the paragraph in points (default 6). */
  spaceAfter?: number;
}

export interface Cell {
  text: string;
  bold?: boolean;
  italic?: boolean;
  align?: Align;
  /** How many columns the cell spans (default 1). */
  colSpan?: number;
}
export type CellInput = string | number | Cell;

export interface TableColumn {
  /** Relative width: the columns share the text width in proportion to these. */
  width: number;
  /** Alignment of the body cells (numbers: right). Header cells are centred. */
  align?: Align;
}

export interface Table {
  kind: 'table';
  columns: TableColumn[];
  /** Header rows, bold and repeated at the top of every page the table runs onto. */
  header: CellInput[][];
  rows: CellInput[][];
  /** Font size in points (default: 2 pt below the body size). */
  size?: number;
}

/**
 * The approval stamp (гриф утверждения, ГОСТ Р 7.0.97): «УТВЕРЖДАЮ», the position, the signature line with the name,
 * the date — in the right half of the first page.
 */
export interface Approval {
  kind: 'approval';
  /** Default «УТВЕРЖДАЮ». */
  title?: string;
  lines: string[];
}

/** Vertical space in points. */
export interface Spacer {
  kind: 'spacer';
  height: number;
}

export interface PageBreak {
  kind: 'pageBreak';
}

export type Block = Heading | Paragraph | Table | Approval | Spacer | PageBreak;

export interface DocumentSpec {
  /** The document's title in its metadata (and the PDF viewer's window). */
  title: string;
  /** Who issued it (metadata: author). */
  author?: string;
  subject?: string;
  orientation?: 'portrait' | 'landscape';
  /** Numbers in the middle of the top margin from the second page on (ГОСТ Р 7.0.97). Default true. */
  pageNumbers?: boolean;
  /** Body text size in points (default 13; ГОСТ Р 7.0.97 recommends 12–14). */
  fontSize?: number;
  /** The creation date written into the metadata (default: now); fixed in tests for reproducible files. */
  createdAt?: Date;
  blocks: Block[];
}

// Builders, so a document reads as a list of its parts.
export const heading = (level: 1 | 2 | 3, text: string, align?: Align): Heading => ({
  kind: 'heading',
  level,
  text,
  ...(align && { align }),
});
export const paragraph = (runs: Inline | Inline[], options: Omit<Paragraph, 'kind' | 'runs'> = {}): Paragraph => ({
  kind: 'paragraph',
  runs: Array.isArray(runs) ? runs : [runs],
  ...options,
});
export const bold = (text: string): Run => ({ text, bold: true });
export const italic = (text: string): Run => ({ text, italic: true });
export const spacer = (height: number): Spacer => ({ kind: 'spacer', height });
export const pageBreak = (): PageBreak => ({ kind: 'pageBreak' });
export const approval = (lines: string[], title = 'УТВЕРЖДАЮ'): Approval => ({ kind: 'approval', title, lines });

export const runOf = (x: Inline): Run => (typeof x === 'string' ? { text: x } : x);
export const cellOf = (x: CellInput): Cell => (typeof x === 'object' ? x : { text: String(x) });

/** Checks a table's rows against its columns (spans included): a renderer would otherwise draw a broken grid. */
export function checkTable(t: Table): void {
  const n = t.columns.length;
  const bad = [...t.header, ...t.rows].findIndex((row) => row.reduce<number>((s, c) => s + (cellOf(c).colSpan ?? 1), 0) !== n);
  if (n === 0 || bad >= 0) throw new Error(`table row ${bad} does not span the ${n} columns`);
}

// Page geometry in points (1 pt = 1/72 in; 1 mm = 72/25.4 pt).
export const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 };
/** ГОСТ Р 7.0.97's minimums are 20 mm (10 mm on the right); we keep the customary 30 mm left for binding, 15 mm right. */
export const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
export const INDENT = 12.5 * MM;

/**
 * Column widths for a table `total` wide: in proportion to the columns' relative widths, but each at least its
 * `min` (its longest word, so no word is broken inside); what the narrow ones need is taken from the others in
 * proportion to their slack. When the minimums alone exceed the total, they are scaled down to fit.
 */
export function fitColumns(relative: number[], min: number[], total: number): number[] {
  const sum = relative.reduce((s, v) => s + v, 0) || 1;
  const widths = relative.map((w) => (w / sum) * total);
  const minSum = min.reduce((s, v) => s + v, 0);
  if (minSum >= total) return min.map((m) => (m / minSum) * total);
  for (let round = 0; round < relative.length; round++) {
    const short = widths.reduce((s, w, i) => s + Math.max(0, (min[i] ?? 0) - w), 0);
    if (short <= 0.01) break;
    const slack = widths.map((w, i) => Math.max(0, w - (min[i] ?? 0)));
    const slackSum = slack.reduce((s, v) => s + v, 0);
    for (let i = 0; i < widths.length; i++) {
      const w = widths[i] as number;
      const m = min[i] ?? 0;
      widths[i] = w < m ? m : w - (short * (slack[i] as number)) / slackSum;
    }
  }
  return widths;
}
