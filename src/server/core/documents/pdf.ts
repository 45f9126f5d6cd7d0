import PDFDocument from 'pdfkit';
import { documentFonts } from './fonts.ts';
import {
  type Align,
  type Approval,
  type Block,
  type Cell,
  cellOf,
  checkTable,
  type DocumentSpec,
  fitColumns,
  type Heading,
  INDENT,
  MARGINS,
  type Paragraph,
  runOf,
  type Table,
} from './model.ts';
import { typeset } from './typography.ts';

type Doc = PDFKit.PDFDocument;
const FACE = { regular: 'body', bold: 'body-bold', italic: 'body-italic', boldItalic: 'body-bold-italic' } as const;
const faceOf = (bold?: boolean, italic?: boolean) =>
  bold && italic ? FACE.boldItalic : bold ? FACE.bold : italic ? FACE.italic : FACE.regular;

const LINE_GAP = 1.5;
const CELL_PAD = 3;
const HEADING_SIZE = { 1: 2, 2: 1, 3: 0 } as const;

/** Renders the document to PDF (A4, PT Serif embedded, page numbers from page 2), as one buffer. */
export async function renderPdf(spec: DocumentSpec): Promise<Buffer> {
  const fonts = documentFonts();
  const body = spec.fontSize ?? 13;
  const doc = new PDFDocument({
    size: 'A4',
    layout: spec.orientation ?? 'portrait',
    margins: MARGINS,
    bufferPages: true,
    lang: 'ru-RU',
    displayTitle: true,
    info: {
      Title: spec.title,
      ...(spec.author && { Author: spec.author }),
      ...(spec.subject && { Subject: spec.subject }),
      Creator: 'Отклик',
      Producer: 'Отклик (pdfkit)',
      CreationDate: spec.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FACE.regular, fonts.regular);
  doc.registerFont(FACE.bold, fonts.bold);
  doc.registerFont(FACE.italic, fonts.italic);
  doc.registerFont(FACE.boldItalic, fonts.boldItalic);
  doc.font(FACE.regular).fontSize(body);

  const layout = new Layout(doc, body);
  layout.blocks(spec.blocks);

  if (spec.pageNumbers !== false) {
    const range = doc.bufferedPageRange();
    for (let i = 1; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      const page = doc.page;
      doc
        .font(FACE.regular)
        .fontSize(body - 1)
        .text(String(i + 1), page.margins.left, page.margins.top / 2 - (body - 1) / 2, {
          width: page.width - page.margins.left - page.margins.right,
          align: 'center',
          lineBreak: false,
        });
    }
  }
  doc.flushPages();
  doc.end();
  return done;
}

interface Placed {
  cell: Cell;
  x: number;
  w: number;
  align: Align;
}
interface PreparedTable {
  header: Placed[][];
  headerHeights: number[];
  rows: Placed[][];
  measure(cells: Placed[], header: boolean): number;
  draw(cells: Placed[], header: boolean, height: number): void;
}
type Piece = { text: string; face: string; width: number };

class Layout {
  constructor(
    private readonly doc: Doc,
    private readonly body: number,
  ) {}

  private get left() {
    return this.doc.page.margins.left;
  }
  private get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  private get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  private get top() {
    return this.doc.page.margins.top;
  }
  /** Room left on the page below the cursor. */
  private get room() {
    return this.bottom - this.doc.y;
  }
  private atTop() {
    return this.doc.y <= this.top + 0.5;
  }
  private newPage() {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.top;
  }
  /** A new page unless `height` still fits (never a blank page when already at the top). */
  private ensure(height: number) {
    if (height > this.room && !this.atTop()) this.newPage();
  }

  blocks(list: Block[]): void {
    list.forEach((b, i) => {
      if (b.kind === 'heading') this.heading(b, this.keepWith(list[i + 1], list[i + 2]));
      else if (b.kind === 'paragraph') this.paragraph(b);
      else if (b.kind === 'table') this.table(b);
      else if (b.kind === 'approval') this.approval(b);
      else if (b.kind === 'pageBreak') this.newPage();
      else if (b.height >= this.room) this.newPage();
      else this.doc.y += b.height;
    });
  }

  /**
   * What a heading keeps on its page: the start of the next block (three lines of a paragraph, a table's header
   * and first row), and when that is a short paragraph introducing a table, the table's start too.
   */
  private keepWith(next: Block | undefined, after: Block | undefined): number {
    if (!next) return 0;
    if (next.kind === 'table') return this.tableStart(next);
    if (next.kind !== 'paragraph') return 0;
    const { lines, lineHeight } = this.lines(next);
    const own = Math.min(lines.length, 3) * lineHeight + (next.spaceAfter ?? 6);
    return lines.length <= 3 && after?.kind === 'table' ? own + this.tableStart(after) : own;
  }

  private heading(h: Heading, keep: number) {
    const size = this.body + HEADING_SIZE[h.level];
    const text = typeset(h.text);
    const font = faceOf(true, h.level === 3);
    this.doc.font(font).fontSize(size);
    const height = this.doc.heightOfString(text, { width: this.width, lineGap: LINE_GAP });
    const before = h.level === 1 ? 10 : 6;
    this.ensure(before + height + 6 + keep);
    if (!this.atTop()) this.doc.y += before;
    this.doc.text(text, this.left, this.doc.y, {
      width: this.width,
      align: h.align ?? (h.level === 1 ? 'center' : 'left'),
      lineGap: LINE_GAP,
    });
    this.doc.y += 6;
  }

  /**
   * A paragraph's lines, broken here rather than by pdfkit: pdfkit's wrapping of `continued` runs loses the space at
   * a run boundary and justifies the end of every run as if it were a line end. Words are split at ordinary spaces
   * only (a non-breaking space keeps its words together); a run starting without a space continues the previous word.
   */
  private lines(p: Paragraph): { lines: Piece[][][]; lineHeight: number; space: number; indent: number } {
    const doc = this.doc;
    const size = p.size ?? this.body;
    const align: Align = p.align ?? 'justify';
    const indent = (p.indent ?? align === 'justify') ? INDENT : 0;
    const words: Piece[][] = [];
    let glue = false;
    for (const run of p.runs.map(runOf)) {
      const face = faceOf(run.bold, run.italic);
      doc.font(face).fontSize(size);
      typeset(run.text)
        .split(' ')
        .forEach((part, i) => {
          if (i > 0) glue = false;
          if (part === '') return;
          const piece = { text: part, face, width: doc.widthOfString(part) };
          const last = words.at(-1);
          if (glue && last) last.push(piece);
          else words.push([piece]);
          glue = true;
        });
      if (run.text.endsWith(' ')) glue = false;
    }
    doc.font(FACE.regular).fontSize(size);
    const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
    const space = doc.widthOfString(' ');
    const lines: Piece[][][] = [];
    let line: Piece[][] = [];
    let used = 0;
    for (const word of words) {
      const avail = this.width - (lines.length === 0 ? indent : 0);
      const w = word.reduce((s, x) => s + x.width, 0);
      if (line.length > 0 && used + space + w > avail) {
        lines.push(line);
        line = [];
        used = 0;
      }
      used += (line.length > 0 ? space : 0) + w;
      line.push(word);
    }
    if (line.length > 0) lines.push(line);
    return { lines, lineHeight, space, indent };
  }

  private paragraph(p: Paragraph) {
    const doc = this.doc;
    const size = p.size ?? this.body;
    const align: Align = p.align ?? 'justify';
    const after = p.spaceAfter ?? 6;
    const { lines, lineHeight, space, indent } = this.lines(p);
    if (lines.length === 0) {
      doc.y += lineHeight + after;
      return;
    }
    // Two lines at least on this page (no lone first line at the bottom).
    this.ensure(Math.min(lines.length, 2) * lineHeight);
    const widthOf = (w: Piece[]) => w.reduce((s, x) => s + x.width, 0);
    lines.forEach((ln, i) => {
      if (doc.y + lineHeight > this.bottom && !this.atTop()) this.newPage();
      const start = this.left + (i === 0 ? indent : 0);
      const avail = this.width - (i === 0 ? indent : 0);
      const natural = ln.reduce((s, w) => s + widthOf(w), 0) + space * (ln.length - 1);
      const last = i === lines.length - 1;
      let gap = space;
      let x = start;
      if (align === 'justify' && !last && ln.length > 1) gap = space + (avail - natural) / (ln.length - 1);
      else if (align === 'center') x = start + (avail - natural) / 2;
      else if (align === 'right') x = start + avail - natural;
      const y = doc.y;
      // Each word is drawn with the space after it (a real space glyph for text extraction and copying), then the
      // next word is placed after the justified gap.
      ln.forEach((word, wi) => {
        word.forEach((piece, pi) => {
          const trailing = pi === word.length - 1 && wi < ln.length - 1 ? ' ' : '';
          doc
            .font(piece.face)
            .fontSize(size)
            .text(piece.text + trailing, x, y, { lineBreak: false });
          x += piece.width;
        });
        x += gap;
      });
      doc.y = y + lineHeight;
    });
    doc.x = this.left;
    doc.y += after;
  }

  private approval(a: Approval) {
    const half = this.width / 2;
    const x = this.left + half + 10;
    const width = half - 10;
    this.doc.fontSize(this.body);
    this.doc.font(FACE.regular);
    const lines = [a.title ?? 'УТВЕРЖДАЮ', ...a.lines].map(typeset);
    const height = lines.reduce((h, l) => h + this.doc.heightOfString(l, { width, lineGap: LINE_GAP }), 0);
    this.ensure(height + 6);
    lines.forEach((line, i) => {
      this.doc.font(i === 0 ? FACE.bold : FACE.regular);
      this.doc.text(line, x, this.doc.y, { width, align: 'left', lineGap: LINE_GAP });
      if (i === 0) this.doc.y += 2;
    });
    this.doc.x = this.left;
    this.doc.y += 12;
  }

  private readonly prepared = new WeakMap<Table, PreparedTable>();

  /** Column widths (no word broken inside), cells placed, and how to measure and draw a row. */
  private prepare(t: Table): PreparedTable {
    const done = this.prepared.get(t);
    if (done) return done;
    checkTable(t);
    const doc = this.doc;
    const size = t.size ?? this.body - 2;
    const header = t.header.map((r) => r.map(cellOf));
    const body = t.rows.map((r) => r.map(cellOf));
    // The longest word of each column's single-column cells, in the face it is drawn in.
    const min = t.columns.map(() => 0);
    const scan = (rows: Cell[][], isHeader: boolean) => {
      for (const row of rows) {
        let col = 0;
        for (const cell of row) {
          const span = cell.colSpan ?? 1;
          if (span === 1) {
            doc.font(faceOf(isHeader || cell.bold, cell.italic)).fontSize(size);
            for (const word of typeset(cell.text).split(/[ \n]/)) {
              min[col] = Math.max(min[col] as number, doc.widthOfString(word) + 2 * CELL_PAD + 1);
            }
          }
          col += span;
        }
      }
    };
    scan(header, true);
    scan(body, false);
    const widths = fitColumns(
      t.columns.map((c) => c.width),
      min,
      this.width,
    );
    const place = (row: Cell[], isHeader: boolean): Placed[] => {
      let col = 0;
      let x = this.left;
      return row.map((cell) => {
        const span = cell.colSpan ?? 1;
        const w = widths.slice(col, col + span).reduce((s, v) => s + v, 0);
        const align = cell.align ?? (isHeader ? 'center' : span === 1 ? (t.columns[col]?.align ?? 'left') : 'left');
        col += span;
        const placed = { cell, x, w, align };
        x += w;
        return placed;
      });
    };
    const measure = (cells: Placed[], isHeader: boolean) =>
      Math.max(
        ...cells.map((p) => {
          doc.font(faceOf(isHeader || p.cell.bold, p.cell.italic)).fontSize(size);
          return doc.heightOfString(typeset(p.cell.text) || ' ', { width: p.w - 2 * CELL_PAD, lineGap: 0.5 });
        }),
      ) +
      2 * CELL_PAD;
    const draw = (cells: Placed[], isHeader: boolean, height: number) => {
      const y = doc.y;
      doc.lineWidth(0.6).strokeColor('#000000');
      for (const p of cells) {
        if (isHeader) doc.rect(p.x, y, p.w, height).fillColor('#eeeeee').fill();
        doc.rect(p.x, y, p.w, height).stroke();
        doc
          .fillColor('#000000')
          .font(faceOf(isHeader || p.cell.bold, p.cell.italic))
          .fontSize(size)
          .text(typeset(p.cell.text), p.x + CELL_PAD, y + CELL_PAD, {
            width: p.w - 2 * CELL_PAD,
            align: p.align,
            lineGap: 0.5,
          });
      }
      doc.x = this.left;
      doc.y = y + height;
    };
    const headerPlaced = header.map((r) => place(r, true));
    const prepared = {
      header: headerPlaced,
      headerHeights: headerPlaced.map((cells) => measure(cells, true)),
      rows: body.map((r) => place(r, false)),
      measure,
      draw,
    };
    this.prepared.set(t, prepared);
    return prepared;
  }

  /** The header rows and the first row: a table never starts with its header alone at the bottom of a page. */
  private tableStart(t: Table): number {
    const p = this.prepare(t);
    const first = p.rows[0];
    return p.headerHeights.reduce((s, h) => s + h, 0) + (first ? p.measure(first, false) : 0);
  }

  private table(t: Table) {
    const p = this.prepare(t);
    const drawHeader = () => {
      p.header.forEach((cells, i) => {
        p.draw(cells, true, p.headerHeights[i] as number);
      });
    };
    this.ensure(this.tableStart(t));
    drawHeader();
    for (const cells of p.rows) {
      const height = p.measure(cells, false);
      if (height > this.room) {
        this.newPage();
        drawHeader();
      }
      p.draw(cells, false, height);
    }
    this.doc.y += 10;
  }
}
