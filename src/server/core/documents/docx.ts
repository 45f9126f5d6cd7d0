import {
  AlignmentType,
  BorderStyle,
  Document,
  Paragraph as DocxParagraph,
  Table as DocxTable,
  Header,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  PageOrientation,
  ShadingType,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  type Align,
  type Approval,
  type Block,
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

/**
 * The font of the editable document: Times New Roman, which every office suite has (LibreOffice maps it to the
 * metric-compatible Liberation Serif) and which Russian official documents customarily use. The PDF embeds PT Serif.
 */
export const DOCX_FONT = 'Times New Roman';
/** Paragraph styles by name, so a converter (mammoth in the render check) can map them. */
export const DOCX_STYLES = { approval: 'Approval', tableText: 'TableText', centered: 'Centered' } as const;

// Word measures in twentieths of a point (twips) and half-points.
const tw = (pt: number) => Math.round(pt * 20);
const half = (pt: number) => Math.round(pt * 2);
// A4 in twips (210 × 297 mm); docx swaps them for landscape.
const A4_TW = { width: 11906, height: 16838 };
const ALIGN = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
} as const;
const LINE = 264; // 1.1 lines (240 = single)

/** Renders the document to DOCX (A4, Times New Roman, page numbers in the top margin from page 2). */
export async function renderDocx(spec: DocumentSpec): Promise<Buffer> {
  const body = spec.fontSize ?? 13;
  const landscape = spec.orientation === 'landscape';
  const pageWidth = landscape ? A4_TW.height : A4_TW.width;
  const textWidth = pageWidth - tw(MARGINS.left) - tw(MARGINS.right);
  const ctx = { body, textWidth };
  const children = spec.blocks.flatMap((b) => block(b, ctx));
  const numbered = spec.pageNumbers !== false;
  const doc = new Document({
    creator: spec.author ?? 'Отклик',
    title: spec.title,
    ...(spec.subject && { subject: spec.subject }),
    description: spec.title,
    styles: {
      default: {
        document: {
          run: { font: DOCX_FONT, size: half(body), language: { value: 'ru-RU' } },
          paragraph: { spacing: { after: tw(6), line: LINE } },
        },
        heading1: {
          run: { font: DOCX_FONT, size: half(body + 2), bold: true, color: '000000' },
          paragraph: { alignment: AlignmentType.CENTER, spacing: { before: tw(12), after: tw(6) }, keepNext: true },
        },
        heading2: {
          run: { font: DOCX_FONT, size: half(body + 1), bold: true, color: '000000' },
          paragraph: { spacing: { before: tw(8), after: tw(6) }, keepNext: true },
        },
        heading3: {
          run: { font: DOCX_FONT, size: half(body), bold: true, italics: true, color: '000000' },
          paragraph: { spacing: { before: tw(6), after: tw(4) }, keepNext: true },
        },
      },
      paragraphStyles: [
        {
          id: DOCX_STYLES.approval,
          name: DOCX_STYLES.approval,
          basedOn: 'Normal',
          quickFormat: true,
          paragraph: { indent: { left: Math.round(textWidth / 2) + tw(10) }, spacing: { after: 0 } },
        },
        {
          id: DOCX_STYLES.centered,
          name: DOCX_STYLES.centered,
          basedOn: 'Normal',
          quickFormat: true,
          paragraph: { alignment: AlignmentType.CENTER },
        },
        {
          id: DOCX_STYLES.tableText,
          name: DOCX_STYLES.tableText,
          basedOn: 'Normal',
          quickFormat: true,
          run: { size: half(body - 2) },
          paragraph: { spacing: { after: 0, line: 240 } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: {
              width: A4_TW.width,
              height: A4_TW.height,
              orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
            },
            margin: {
              top: tw(MARGINS.top),
              bottom: tw(MARGINS.bottom),
              left: tw(MARGINS.left),
              right: tw(MARGINS.right),
              header: tw(MARGINS.top / 2 - 4),
            },
          },
          titlePage: numbered,
        },
        ...(numbered && {
          headers: {
            default: new Header({
              children: [
                new DocxParagraph({
                  alignment: AlignmentType.CENTER,
                  children: [new TextRun({ children: [PageNumber.CURRENT], size: half(body - 1) })],
                }),
              ],
            }),
            first: new Header({ children: [new DocxParagraph({ children: [] })] }),
          },
        }),
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

interface Ctx {
  body: number;
  textWidth: number;
}

function block(b: Block, ctx: Ctx): Array<DocxParagraph | DocxTable> {
  switch (b.kind) {
    case 'heading':
      return [heading(b)];
    case 'paragraph':
      return [paragraph(b)];
    case 'table':
      return [table(b, ctx), new DocxParagraph({ children: [], spacing: { after: tw(4) } })];
    case 'approval':
      return approval(b);
    case 'spacer':
      return [
        new DocxParagraph({
          children: [],
          spacing: { before: 0, after: 0, line: tw(Math.max(1, b.height)), lineRule: LineRuleType.EXACT },
        }),
      ];
    case 'pageBreak':
      return [new DocxParagraph({ children: [new PageBreak()] })];
  }
}

const LEVEL = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

function heading(h: Heading): DocxParagraph {
  return new DocxParagraph({
    heading: LEVEL[h.level],
    ...(h.align && { alignment: ALIGN[h.align] }),
    children: [new TextRun({ text: typeset(h.text) })],
  });
}

function paragraph(p: Paragraph): DocxParagraph {
  const align: Align = p.align ?? 'justify';
  const indent = p.indent ?? align === 'justify';
  return new DocxParagraph({
    ...(align === 'center' && { style: DOCX_STYLES.centered }),
    alignment: ALIGN[align],
    ...(indent && { indent: { firstLine: tw(INDENT) } }),
    ...(p.spaceAfter !== undefined && { spacing: { after: tw(p.spaceAfter) } }),
    children: p.runs.map(runOf).map(
      (r) =>
        new TextRun({
          text: typeset(r.text),
          ...(r.bold && { bold: true }),
          ...(r.italic && { italics: true }),
          ...(p.size && { size: half(p.size) }),
        }),
    ),
  });
}

function approval(a: Approval): DocxParagraph[] {
  const lines = [a.title ?? 'УТВЕРЖДАЮ', ...a.lines];
  return [
    ...lines.map(
      (line, i) =>
        new DocxParagraph({
          style: DOCX_STYLES.approval,
          ...(i === 0 && { spacing: { after: tw(2) } }),
          children: [new TextRun({ text: typeset(line), ...(i === 0 && { bold: true }) })],
        }),
    ),
    new DocxParagraph({ children: [], spacing: { after: tw(6) } }),
  ];
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(t: Table, ctx: Ctx): DocxTable {
  checkTable(t);
  const pt = t.size ?? ctx.body - 2;
  const size = half(pt);
  // No word broken inside a cell: each column at least as wide as its longest word, estimated at 0.58 em a
  // character (Times New Roman's Cyrillic averages about 0.5 em; bold and capitals are wider), plus the margins.
  const min = t.columns.map(() => 0);
  for (const [rows, isHeader] of [
    [t.header, true],
    [t.rows, false],
  ] as const) {
    for (const row of rows) {
      let col = 0;
      for (const c of row.map(cellOf)) {
        const span = c.colSpan ?? 1;
        if (span === 1) {
          const longest = Math.max(
            ...typeset(c.text)
              .split(/[ \n]/)
              .map((w) => w.length),
          );
          const em = isHeader || c.bold ? 0.62 : 0.58;
          min[col] = Math.max(min[col] as number, tw(longest * em * pt + 8) + 20);
        }
        col += span;
      }
    }
  }
  const widths = fitColumns(
    t.columns.map((c) => c.width),
    min,
    ctx.textWidth,
  ).map(Math.floor);
  const row = (cells: ReturnType<typeof cellOf>[], header: boolean) => {
    let col = 0;
    return new TableRow({
      // Only header rows carry w:tblHeader: an explicit `w:val="off"` on the others confuses some readers (mammoth).
      ...(header && { tableHeader: true }),
      cantSplit: true,
      children: cells.map((cell) => {
        const span = cell.colSpan ?? 1;
        const width = widths.slice(col, col + span).reduce((s, v) => s + v, 0);
        const align: Align = cell.align ?? (header ? 'center' : span === 1 ? (t.columns[col]?.align ?? 'left') : 'left');
        col += span;
        return new TableCell({
          width: { size: width, type: WidthType.DXA },
          ...(span > 1 && { columnSpan: span }),
          ...(header && { shading: { type: ShadingType.CLEAR, fill: 'EEEEEE', color: 'auto' } }),
          children: [
            new DocxParagraph({
              style: DOCX_STYLES.tableText,
              alignment: ALIGN[align],
              children: [
                new TextRun({
                  text: typeset(cell.text),
                  size,
                  ...((header || cell.bold) && { bold: true }),
                  ...(cell.italic && { italics: true }),
                }),
              ],
            }),
          ],
        });
      }),
    });
  };
  return new DocxTable({
    layout: TableLayoutType.FIXED,
    width: { size: widths.reduce((s, v) => s + v, 0), type: WidthType.DXA },
    columnWidths: widths,
    borders: {
      top: BORDER,
      bottom: BORDER,
      left: BORDER,
      right: BORDER,
      insideHorizontal: BORDER,
      insideVertical: BORDER,
    },
    margins: { top: tw(2), bottom: tw(2), left: tw(4), right: tw(4) },
    rows: [...t.header.map((r) => row(r.map(cellOf), true)), ...t.rows.map((r) => row(r.map(cellOf), false))],
  });
}
